// Chat Completions results → Responses objects: the Response skeleton that echoes the request,
// usage and finish-reason mapping, and a whole ChatCompletion turned into output items.
import { newId } from '../core/index.js';
import type { ChatCompletion, FinishReason, Usage } from '../api/index.js';
import type {
  OutputItem,
  OutputMessageItem,
  ResponseObject,
  ResponseStatus,
  ResponseUsage,
  ResponsesRequest,
} from '../api/responses-schemas.js';

/** Makes an id for a new output item (`msg_…`, `fc_…`); tests pass a predictable one. */
export type ItemIdFactory = (prefix: 'msg' | 'fc') => string;
export const randomItemId: ItemIdFactory = (prefix) => newId(prefix);

export interface ResponseIdentity {
  readonly id: string;
  readonly createdAt: Date;
}

/** The Response as it stands before any output: in progress, echoing the request's parameters. */
export function createResponseSkeleton(request: ResponsesRequest, identity: ResponseIdentity): ResponseObject {
  return {
    id: identity.id,
    object: 'response',
    created_at: Math.floor(identity.createdAt.getTime() / 1000),
    status: 'in_progress',
    model: request.model,
    output: [],
    usage: null,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    previous_response_id: request.previous_response_id ?? null,
    tools: request.tools ?? [],
    tool_choice: request.tool_choice ?? 'auto',
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    text: { format: request.text?.format ?? { type: 'text' } },
    truncation: 'disabled',
    store: request.store,
    metadata: request.metadata ?? {},
    user: request.user ?? null,
  };
}

export function toResponseUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}

export interface ResponseOutcome {
  readonly status: Extract<ResponseStatus, 'completed' | 'incomplete'>;
  readonly incompleteReason: string | null;
}

/** A cut-off answer is `incomplete` with the reason; every other ending (or none reported) completes. */
export function outcomeForFinishReason(finishReason: FinishReason | null | undefined): ResponseOutcome {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed', incompleteReason: null };
}

/** The finished Response from one ChatCompletion; only the first choice is used (n is never sent). */
export function chatCompletionToResponse(
  completion: ChatCompletion,
  skeleton: ResponseObject,
  newItemId: ItemIdFactory = randomItemId,
): ResponseObject {
  const choice = completion.choices[0];
  const outcome = outcomeForFinishReason(choice?.finish_reason);
  const itemStatus = outcome.status === 'completed' ? 'completed' : 'incomplete';
  const output: OutputItem[] = [];
  const message = choice?.message;
  if (message !== undefined) {
    const content: OutputMessageItem['content'] = [];
    if (typeof message.content === 'string' && message.content !== '') {
      content.push({ type: 'output_text', text: message.content, annotations: [] });
    }
    if (typeof message.refusal === 'string' && message.refusal !== '') {
      content.push({ type: 'refusal', refusal: message.refusal });
    }
    if (content.length > 0) {
      output.push({ type: 'message', id: newItemId('msg'), role: 'assistant', status: itemStatus, content });
    }
    for (const call of message.tool_calls ?? []) {
      output.push({
        type: 'function_call',
        id: newItemId('fc'),
        call_id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
        status: itemStatus,
      });
    }
  }
  return {
    ...skeleton,
    status: outcome.status,
    incomplete_details: outcome.incompleteReason === null ? null : { reason: outcome.incompleteReason },
    output,
    usage: completion.usage === undefined ? null : toResponseUsage(completion.usage),
  };
}
