// Reads what an OpenAI-compatible upstream answers into the exact OpenAI shapes the rest of
// Modelmart relies on: vendor finish reasons, missing fields and usage reported in odd places
// (a choice, `x_groq`, DeepSeek's cache counters) are normalised here.
import { z } from 'zod';
import { chatCompletionSchema, type ChatCompletion, type ChatCompletionChunk, type FinishReason, type Usage } from '../../api/index.js';
import { describeUpstreamErrorBody } from '../http/index.js';
import type { EmbeddingsResult } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';

export interface ResponseContext {
  readonly provider: string;
  readonly upstreamModel: string;
  readonly warnings: string[];
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalidResponse(context: ResponseContext, message: string, afterFirstByte: boolean, cause?: unknown): UpstreamError {
  return new UpstreamError({ provider: context.provider, status: 502, message, code: 'upstream_invalid_response', afterFirstByte }, cause);
}

const finishReasons: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  function_call: 'function_call',
  // Vendor spellings of the same outcomes.
  eos: 'stop',
  eos_token: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_length: 'length',
  tool_call: 'tool_calls',
  tool_use: 'tool_calls',
  sensitive: 'content_filter',
};

/** null while a choice is still going; a vendor's own reason is mapped, and reported when unknown. */
function mapFinishReason(value: unknown, context: ResponseContext): FinishReason | null {
  if (value === null || value === undefined || value === '') return null;
  const known = typeof value === 'string' ? finishReasons[value] : undefined;
  if (known !== undefined) return known;
  context.warnings.push(`${context.provider} ended a choice with finish_reason ${JSON.stringify(value)}, reported as 'stop'.`);
  return 'stop';
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** OpenAI's usage from what the vendor reported, or undefined when it reported none. */
export function readUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const promptTokens = count(value['prompt_tokens']);
  if (promptTokens === undefined) return undefined;
  const completionTokens = count(value['completion_tokens']) ?? 0;
  const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: count(value['total_tokens']) ?? promptTokens + completionTokens };
  const promptDetails = value['prompt_tokens_details'];
  // DeepSeek counts cache hits as prompt_cache_hit_tokens, Moonshot as cached_tokens.
  const cachedTokens = (isRecord(promptDetails) ? count(promptDetails['cached_tokens']) : undefined) ?? count(value['prompt_cache_hit_tokens']) ?? count(value['cached_tokens']);
  if (cachedTokens !== undefined) usage.prompt_tokens_details = { ...(isRecord(promptDetails) ? promptDetails : {}), cached_tokens: cachedTokens };
  else if (isRecord(promptDetails)) {
    const { cached_tokens: _reported, ...otherDetails } = promptDetails;
    usage.prompt_tokens_details = otherDetails;
  }
  const completionDetails = value['completion_tokens_details'];
  const reasoningTokens = isRecord(completionDetails) ? count(completionDetails['reasoning_tokens']) : undefined;
  if (isRecord(completionDetails)) {
    const { reasoning_tokens: _reported, ...otherDetails } = completionDetails;
    usage.completion_tokens_details = reasoningTokens === undefined ? otherDetails : { ...otherDetails, reasoning_tokens: reasoningTokens };
  }
  return usage;
}

/** An error object sent where a chunk or completion was expected. */
function throwIfError(value: JsonRecord, context: ResponseContext, afterFirstByte: boolean): void {
  if (value['error'] === undefined || value['error'] === null) return;
  const description = describeUpstreamErrorBody(value);
  throw new UpstreamError({
    provider: context.provider,
    status: 502,
    message: description?.message ?? `the upstream sent an error: ${JSON.stringify(value['error'])}`,
    code: description?.code ?? 'upstream_error',
    afterFirstByte,
  });
}

export function toChatCompletion(body: unknown, context: ResponseContext): ChatCompletion {
  const choices = isRecord(body) ? body['choices'] : undefined;
  if (!isRecord(body) || !Array.isArray(choices)) {
    if (isRecord(body)) throwIfError(body, context, false);
    throw invalidResponse(context, 'the upstream answered with something other than a chat completion', false);
  }
  body['object'] ??= 'chat.completion';
  body['created'] ??= Math.floor(Date.now() / 1000);
  body['model'] ??= context.upstreamModel;
  body['id'] ??= '';
  choices.forEach((choice: unknown, position: number) => {
    if (!isRecord(choice)) return;
    choice['index'] ??= position;
    choice['finish_reason'] = mapFinishReason(choice['finish_reason'], context);
    const message = choice['message'];
    if (isRecord(message)) {
      message['role'] ??= 'assistant';
      message['content'] ??= null;
    }
  });
  const usage = readUsage(body['usage']);
  if (usage === undefined) delete body['usage'];
  else body['usage'] = usage;
  const parsed = chatCompletionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidResponse(context, `the upstream's chat completion is malformed (${issue === undefined ? 'unknown problem' : `${issue.path.join('.')}: ${issue.message}`})`, false, parsed.error);
  }
  return parsed.data;
}

function isToolCallDeltaList(value: unknown): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (const call of value) if (!isRecord(call) || typeof call['index'] !== 'number') return false;
  return true;
}

/**
 * Checks and normalises one stream chunk in place. Chunks are checked by hand rather than by
 * zod: a stream has hundreds of them, and a schema parse would copy each one.
 */
/**
 * Fills what a vendor left out and maps its finish reasons, in place. Returns undefined for a
 * malformed chunk, else whether anything had to change (an unchanged chunk may be passed on
 * as the upstream's own bytes).
 */
function normaliseChatCompletionChunk(value: JsonRecord, context: ResponseContext): { changed: boolean } | undefined {
  let changed = false;
  if (typeof value['id'] !== 'string') {
    value['id'] = '';
    changed = true;
  }
  if (value['object'] !== 'chat.completion.chunk') {
    value['object'] = 'chat.completion.chunk';
    changed = true;
  }
  if (typeof value['created'] !== 'number') {
    value['created'] = Math.floor(Date.now() / 1000);
    changed = true;
  }
  if (typeof value['model'] !== 'string') {
    value['model'] = context.upstreamModel;
    changed = true;
  }
  const choices = value['choices'];
  if (choices === undefined || choices === null) {
    value['choices'] = [];
    changed = true;
  } else if (!Array.isArray(choices)) return undefined;
  else {
    for (let position = 0; position < choices.length; position += 1) {
      const choice: unknown = choices[position];
      if (!isRecord(choice)) return undefined;
      if (typeof choice['index'] !== 'number') {
        choice['index'] = position;
        changed = true;
      }
      const delta = choice['delta'];
      if (delta === undefined || delta === null) {
        choice['delta'] = {};
        changed = true;
      } else if (!isRecord(delta) || !isToolCallDeltaList(delta['tool_calls'])) return undefined;
      const finishReason = mapFinishReason(choice['finish_reason'], context);
      if (finishReason !== choice['finish_reason']) {
        choice['finish_reason'] = finishReason;
        changed = true;
      }
    }
  }
  return { changed };
}

export interface NormalisedChunk {
  readonly chunk: ChatCompletionChunk;
  /** Usage the chunk carried, wherever the vendor put it; taken out of the chunk itself. */
  readonly usage: Usage | undefined;
  /** True when the chunk is exactly what the upstream sent, so its text can be passed on as is. */
  readonly unchanged: boolean;
}

export function toChatCompletionChunk(value: unknown, context: ResponseContext, afterFirstByte: boolean): NormalisedChunk {
  if (!isRecord(value)) throw invalidResponse(context, 'the upstream sent a stream event that is not a JSON object', afterFirstByte);
  throwIfError(value, context, afterFirstByte);
  const normalised = normaliseChatCompletionChunk(value, context);
  if (normalised === undefined) throw invalidResponse(context, 'the upstream sent a malformed chat completion chunk', afterFirstByte);
  const chunk = value as ChatCompletionChunk & JsonRecord;
  let usage = readUsage(chunk['usage']);
  if (usage !== undefined) chunk['usage'] = null;
  else {
    // Moonshot reports usage inside the last choice, Groq under x_groq.
    const firstChoice: unknown = chunk.choices[0];
    const extras = chunk['x_groq'];
    usage = (isRecord(firstChoice) ? readUsage(firstChoice['usage']) : undefined) ?? (isRecord(extras) ? readUsage(extras['usage']) : undefined);
  }
  return { chunk, usage, unchanged: !normalised.changed && usage === undefined };
}

const upstreamEmbeddingsSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int().nonnegative().optional(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  usage: z.looseObject({ prompt_tokens: z.number().nonnegative().optional(), total_tokens: z.number().nonnegative().optional() }).nullish(),
});

function decodeBase64Floats(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const embedding = new Array<number>(bytes.length >> 2);
  for (let index = 0; index < embedding.length; index += 1) embedding[index] = bytes.readFloatLE(index * 4);
  return embedding;
}

export function toEmbeddingsResult(body: unknown, context: ResponseContext): EmbeddingsResult {
  const parsed = upstreamEmbeddingsSchema.safeParse(body);
  if (!parsed.success) throw invalidResponse(context, 'the upstream answered with something other than embeddings', false, parsed.error);
  const data = parsed.data.data
    .map((item, position) => ({ index: item.index ?? position, embedding: typeof item.embedding === 'string' ? decodeBase64Floats(item.embedding) : item.embedding }))
    .sort((left, right) => left.index - right.index);
  const promptTokens = Math.round(parsed.data.usage?.prompt_tokens ?? 0);
  if (parsed.data.usage?.prompt_tokens === undefined) context.warnings.push(`${context.provider} reported no token usage for these embeddings.`);
  return { data, usage: { prompt_tokens: promptTokens, total_tokens: Math.round(parsed.data.usage?.total_tokens ?? promptTokens) } };
}

export function toTextCompletion(body: unknown, context: ResponseContext): Record<string, unknown> {
  if (!isRecord(body) || !Array.isArray(body['choices'])) {
    if (isRecord(body)) throwIfError(body, context, false);
    throw invalidResponse(context, 'the upstream answered with something other than a text completion', false);
  }
  const usage = readUsage(body['usage']);
  if (usage !== undefined) body['usage'] = usage;
  return body;
}
