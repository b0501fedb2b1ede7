// A GPT run in the Responses API: the tool steps become `function_call` and
// `function_call_output` output items before the final message, citations become output_text
// annotations, and a run stopped at the step limit is `incomplete` with reason `max_steps`.
// The Responses service translates the final step as for every model; these functions add the
// GPT's part to its Response, and to its stream (re-indexing and re-sequencing its events).
import type { ChatCompletion, ResponseObject, ResponseStreamEvent } from '../../api/index.js';
import { newId } from '../../core/index.js';
import { answerExtension, answerMarkers, type GptChatCompletion } from './gpt-run-answer.js';
import { responsesAnnotations, type ResponsesUrlCitation } from './gpt-run-knowledge.js';
import type { GptRunFinish, GptToolCallRecord, PreparedGptRun } from './gpt-run-types.js';

/** A Responses object or event with the items and fields a GPT adds; written as JSON as is. */
export type GptResponsePayload = Record<string, unknown>;

interface ToolItem {
  readonly type: 'function_call' | 'function_call_output';
  readonly id: string;
  readonly call_id: string;
  readonly status: 'completed';
  readonly name?: string;
  readonly arguments?: string;
  readonly output?: string;
}

function toolItems(records: readonly GptToolCallRecord[]): ToolItem[] {
  return records.flatMap((record): ToolItem[] => [
    { type: 'function_call', id: newId('fc'), call_id: record.callId, name: record.name, arguments: record.arguments, status: 'completed' },
    { type: 'function_call_output', id: newId('fco'), call_id: record.callId, output: record.output, status: 'completed' },
  ]);
}

/** The chat completion the Responses service translates: the GPT's own finish reason mapped to the ones it knows. */
export function asServiceCompletion(completion: GptChatCompletion): ChatCompletion {
  const choices = completion.choices.map((choice) => ({
    index: choice.index,
    message: { role: choice.message.role, content: choice.message.content, refusal: choice.message.refusal, ...(choice.message.tool_calls === undefined ? {} : { tool_calls: [...choice.message.tool_calls] }) },
    logprobs: null,
    finish_reason: choice.finish_reason === 'max_steps' ? ('stop' as const) : choice.finish_reason,
  }));
  return { id: completion.id, object: 'chat.completion', created: completion.created, model: completion.model, choices, usage: completion.usage };
}

function withAnnotations(item: unknown, annotations: readonly ResponsesUrlCitation[]): unknown {
  if (typeof item !== 'object' || item === null || !('type' in item) || item.type !== 'message' || !('content' in item) || !Array.isArray(item.content)) return item;
  const content: unknown[] = item.content.map((part: unknown) => (typeof part === 'object' && part !== null && 'type' in part && part.type === 'output_text' ? { ...part, annotations } : part));
  return { ...item, content };
}

function finishedFields(prepared: PreparedGptRun, finish: GptRunFinish, maxSteps: number): GptResponsePayload {
  const extension = answerExtension(prepared, finish, answerMarkers(finish), maxSteps);
  return finish.finishReason === 'max_steps' ? { status: 'incomplete', incomplete_details: { reason: 'max_steps' }, modelmart: extension } : { modelmart: extension };
}

/** The whole Response with the tool items first, the annotations and the extension. */
export function gptResponse(response: ResponseObject, prepared: PreparedGptRun, finish: GptRunFinish, maxSteps: number): GptResponsePayload {
  const annotations = responsesAnnotations(answerMarkers(finish));
  return { ...response, output: [...toolItems(finish.toolCalls), ...response.output.map((item) => withAnnotations(item, annotations))], ...finishedFields(prepared, finish, maxSteps) };
}

const terminalTypes = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * Rewrites the Responses service's events for a GPT run: the tool items of finished steps are
 * announced (added, arguments done, done) before the next item the service opens, every
 * output_index is moved past them, sequence numbers are renumbered, and the annotations, the
 * extension and the max_steps outcome are added when the run finishes.
 */
export class GptResponseStreamDecorator {
  private sequence = 0;
  private nextIndex = 0;
  private readonly indexOf = new Map<number, number>();
  private readonly pending: ToolItem[] = [];
  private readonly announced: { readonly item: ToolItem; readonly index: number }[] = [];
  private finish: GptRunFinish | undefined;

  constructor(
    private readonly prepared: PreparedGptRun,
    private readonly maxSteps: number,
  ) {}

  addToolStep(records: readonly GptToolCallRecord[]): void {
    this.pending.push(...toolItems(records));
  }

  finished(finish: GptRunFinish): void {
    this.finish = finish;
  }

  decorate(event: ResponseStreamEvent): GptResponsePayload[] {
    const out: GptResponsePayload[] = [];
    const record: GptResponsePayload = { ...event };
    if (event.type === 'response.output_item.added' || terminalTypes.has(event.type)) this.announcePending(out);
    if ('output_index' in event) {
      let index = this.indexOf.get(event.output_index);
      if (index === undefined) {
        index = this.nextIndex;
        this.nextIndex += 1;
        this.indexOf.set(event.output_index, index);
      }
      record.output_index = index;
    }
    const annotations = this.finish === undefined ? undefined : responsesAnnotations(answerMarkers(this.finish));
    if (annotations !== undefined && event.type === 'response.content_part.done' && event.part.type === 'output_text') record.part = { ...event.part, annotations };
    if (annotations !== undefined && event.type === 'response.output_item.done') record.item = withAnnotations(event.item, annotations);
    if ('response' in event && event.response !== undefined) {
      record.response = this.decorateResponse(event.response, terminalTypes.has(event.type) ? annotations : undefined);
      if (event.type === 'response.completed' && this.finish?.finishReason === 'max_steps') record.type = 'response.incomplete';
    }
    out.push(this.sequenced(record));
    return out;
  }

  private decorateResponse(response: ResponseObject, annotations: readonly ResponsesUrlCitation[] | undefined): GptResponsePayload {
    const placed: { index: number; item: unknown }[] = this.announced.map(({ item, index }) => ({ index, item }));
    response.output.forEach((item, translatorIndex) => {
      placed.push({ index: this.indexOf.get(translatorIndex) ?? this.nextIndex + translatorIndex, item: annotations === undefined ? item : withAnnotations(item, annotations) });
    });
    placed.sort((left, right) => left.index - right.index);
    const decorated: GptResponsePayload = { ...response, output: placed.map((entry) => entry.item) };
    if (annotations === undefined || this.finish === undefined || response.status === 'failed') return decorated;
    return { ...decorated, ...finishedFields(this.prepared, this.finish, this.maxSteps) };
  }

  private announcePending(out: GptResponsePayload[]): void {
    for (const item of this.pending.splice(0)) {
      const index = this.nextIndex;
      this.nextIndex += 1;
      this.announced.push({ item, index });
      out.push(this.sequenced({ type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress' } }));
      if (item.type === 'function_call') {
        out.push(this.sequenced({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: index, name: item.name, arguments: item.arguments }));
      }
      out.push(this.sequenced({ type: 'response.output_item.done', output_index: index, item }));
    }
  }

  private sequenced(event: GptResponsePayload): GptResponsePayload {
    const numbered = { ...event, sequence_number: this.sequence };
    this.sequence += 1;
    return numbered;
  }
}
