// Streamed chat StreamParts → typed Responses stream events, in the documented order: created,
// in_progress, then per output item added → (content part added → deltas → done →
// part done) or (argument deltas → arguments done) → item done, and one terminal event with
// the final Response. Synchronous and pure so each step can be tested with fake parts.
import { newId, toModelmartError } from '../core/index.js';
import type { ChatCompletionChunk, FinishReason } from '../api/index.js';
import type {
  OutputFunctionCallItem,
  OutputItem,
  OutputMessageItem,
  ResponseObject,
  ResponseStreamEvent,
  ResponseUsage,
} from '../api/responses-schemas.js';
import type { StreamPart } from '../providers/provider-contract.js';
import { outcomeForFinishReason, randomItemId, toResponseUsage, type ItemIdFactory } from './responses-output-translation.js';

type Unsequenced<Event> = Event extends unknown ? Omit<Event, 'sequence_number'> : never;
type ItemStatus = OutputItem['status'];
type ContentPart = OutputMessageItem['content'][number];

interface OpenMessage {
  readonly item: OutputMessageItem;
  readonly outputIndex: number;
  part: { readonly value: ContentPart; readonly contentIndex: number } | undefined;
}

interface OpenCall {
  readonly item: OutputFunctionCallItem;
  readonly outputIndex: number;
}

/** Why a stream stopped early when the client went away; the Response is then `incomplete`. */
export const clientDisconnectedReason = 'client_disconnected';

export class ResponseStreamTranslator {
  private sequenceNumber = 0;
  private begun = false;
  private readonly output: OutputItem[] = [];
  private message: OpenMessage | undefined;
  private openCall: OpenCall | undefined;
  // Keyed by the chat tool-call index; a call stays here after it is closed so that a late
  // argument fragment still reaches the final Response.
  private readonly calls = new Map<number, OpenCall>();
  private finishReason: FinishReason | null = null;
  private usage: ResponseUsage | null = null;
  private final: ResponseObject | undefined;

  constructor(
    private readonly skeleton: ResponseObject,
    private readonly newItemId: ItemIdFactory = randomItemId,
  ) {}

  get finished(): boolean {
    return this.final !== undefined;
  }

  /** The Response as it stands: the final one once finished, else in progress with a copy of the output so far. */
  snapshot(): ResponseObject {
    if (this.final !== undefined) return structuredClone(this.final);
    return { ...this.skeleton, status: 'in_progress', output: structuredClone(this.output), usage: this.usage };
  }

  /** What `interrupt()` would leave, without ending the stream: for storing when the client has gone. */
  interruptedSnapshot(): ResponseObject {
    const current = this.snapshot();
    if (this.final !== undefined) return current;
    const output = current.output.map((item) => (item.status === 'in_progress' ? { ...item, status: 'incomplete' as const } : item));
    return { ...current, status: 'incomplete', incomplete_details: { reason: clientDisconnectedReason }, output };
  }

  begin(): ResponseStreamEvent[] {
    if (this.begun) return [];
    this.begun = true;
    return [this.emit({ type: 'response.created', response: this.snapshot() }), this.emit({ type: 'response.in_progress', response: this.snapshot() })];
  }

  accept(part: StreamPart): ResponseStreamEvent[] {
    const events = this.begin();
    if (this.finished) return events;
    if (part.type === 'usage') {
      this.usage = toResponseUsage(part.usage);
      return events;
    }
    this.acceptChunk(part.chunk, events);
    return events;
  }

  /** The upstream ended: completed, or incomplete when it stopped for length or content filtering. */
  complete(): ResponseStreamEvent[] {
    const outcome = outcomeForFinishReason(this.finishReason);
    return this.finish(outcome.status, { incomplete_details: outcome.incompleteReason === null ? null : { reason: outcome.incompleteReason } });
  }

  /** The client went away (its signal aborted): what was produced is kept, marked incomplete. */
  interrupt(): ResponseStreamEvent[] {
    return this.finish('incomplete', { incomplete_details: { reason: clientDisconnectedReason } });
  }

  fail(error: unknown): ResponseStreamEvent[] {
    const failure = toModelmartError(error);
    const code = failure.code ?? (failure.status === 429 ? 'rate_limit_exceeded' : 'server_error');
    return this.finish('failed', { error: { code, message: failure.message } });
  }

  private finish(status: 'completed' | 'incomplete' | 'failed', fields: Partial<Pick<ResponseObject, 'error' | 'incomplete_details'>>): ResponseStreamEvent[] {
    const events = this.begin();
    if (this.finished) return events;
    const itemStatus: ItemStatus = status === 'completed' ? 'completed' : 'incomplete';
    this.closeMessage(itemStatus, events);
    this.closeCall(itemStatus, events);
    const final: ResponseObject = { ...this.snapshot(), ...fields, status };
    this.final = final;
    const type = status === 'completed' ? 'response.completed' : status === 'failed' ? 'response.failed' : 'response.incomplete';
    events.push(this.emit({ type, response: structuredClone(final) }));
    return events;
  }

  private acceptChunk(chunk: ChatCompletionChunk, events: ResponseStreamEvent[]): void {
    if (chunk.usage !== undefined && chunk.usage !== null) this.usage = toResponseUsage(chunk.usage);
    // Only the first choice becomes output: the request never asks for more than one.
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (choice === undefined) return;
    const { content, refusal, tool_calls: toolCalls } = choice.delta;
    if (typeof content === 'string' && content !== '') this.appendContent('output_text', content, events);
    if (typeof refusal === 'string' && refusal !== '') this.appendContent('refusal', refusal, events);
    for (const delta of toolCalls ?? []) {
      let call = this.calls.get(delta.index);
      if (call === undefined) {
        this.closeMessage('completed', events);
        this.closeCall('completed', events);
        const item: OutputFunctionCallItem = {
          type: 'function_call',
          id: this.newItemId('fc'),
          call_id: delta.id ?? newId('call'),
          name: delta.function?.name ?? '',
          arguments: '',
          status: 'in_progress',
        };
        call = { item, outputIndex: this.output.push(item) - 1 };
        this.calls.set(delta.index, call);
        this.openCall = call;
        events.push(this.emit({ type: 'response.output_item.added', output_index: call.outputIndex, item: structuredClone(item) }));
      } else if (call.item.name === '' && delta.function?.name !== undefined) {
        call.item.name = delta.function.name;
      }
      const fragment = delta.function?.arguments;
      if (fragment === undefined || fragment === '') continue;
      call.item.arguments += fragment;
      if (call === this.openCall) {
        events.push(this.emit({ type: 'response.function_call_arguments.delta', item_id: call.item.id, output_index: call.outputIndex, delta: fragment }));
      }
    }
    if (choice.finish_reason !== null) this.finishReason = choice.finish_reason;
  }

  private appendContent(kind: ContentPart['type'], delta: string, events: ResponseStreamEvent[]): void {
    const message = this.ensureMessage(events);
    if (message.part?.value.type !== kind) {
      this.closePart(message, events);
      const value: ContentPart = kind === 'output_text' ? { type: 'output_text', text: '', annotations: [] } : { type: 'refusal', refusal: '' };
      message.part = { value, contentIndex: message.item.content.push(value) - 1 };
      events.push(this.emit({ type: 'response.content_part.added', ...this.location(message), part: structuredClone(value) }));
    }
    const { value } = message.part;
    if (value.type === 'output_text') {
      value.text += delta;
      events.push(this.emit({ type: 'response.output_text.delta', ...this.location(message), delta, logprobs: [] }));
    } else {
      value.refusal += delta;
      events.push(this.emit({ type: 'response.refusal.delta', ...this.location(message), delta }));
    }
  }

  private ensureMessage(events: ResponseStreamEvent[]): OpenMessage {
    if (this.message !== undefined) return this.message;
    this.closeCall('completed', events);
    const item: OutputMessageItem = { type: 'message', id: this.newItemId('msg'), role: 'assistant', status: 'in_progress', content: [] };
    const message: OpenMessage = { item, outputIndex: this.output.push(item) - 1, part: undefined };
    this.message = message;
    events.push(this.emit({ type: 'response.output_item.added', output_index: message.outputIndex, item: structuredClone(item) }));
    return message;
  }

  private location(message: OpenMessage): { item_id: string; output_index: number; content_index: number } {
    return { item_id: message.item.id, output_index: message.outputIndex, content_index: message.part?.contentIndex ?? 0 };
  }

  private closePart(message: OpenMessage, events: ResponseStreamEvent[]): void {
    const part = message.part;
    if (part === undefined) return;
    const location = this.location(message);
    if (part.value.type === 'output_text') {
      events.push(this.emit({ type: 'response.output_text.done', ...location, text: part.value.text, logprobs: [] }));
    } else {
      events.push(this.emit({ type: 'response.refusal.done', ...location, refusal: part.value.refusal }));
    }
    events.push(this.emit({ type: 'response.content_part.done', ...location, part: structuredClone(part.value) }));
    message.part = undefined;
  }

  private closeMessage(status: ItemStatus, events: ResponseStreamEvent[]): void {
    const message = this.message;
    if (message === undefined) return;
    this.closePart(message, events);
    message.item.status = status;
    events.push(this.emit({ type: 'response.output_item.done', output_index: message.outputIndex, item: structuredClone(message.item) }));
    this.message = undefined;
  }

  private closeCall(status: ItemStatus, events: ResponseStreamEvent[]): void {
    const call = this.openCall;
    if (call === undefined) return;
    const { item, outputIndex } = call;
    events.push(this.emit({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: outputIndex, name: item.name, arguments: item.arguments }));
    item.status = status;
    events.push(this.emit({ type: 'response.output_item.done', output_index: outputIndex, item: structuredClone(item) }));
    this.openCall = undefined;
  }

  private emit(event: Unsequenced<ResponseStreamEvent>): ResponseStreamEvent {
    const sequenced: ResponseStreamEvent = { ...event, sequence_number: this.sequenceNumber };
    this.sequenceNumber += 1;
    return sequenced;
  }
}
