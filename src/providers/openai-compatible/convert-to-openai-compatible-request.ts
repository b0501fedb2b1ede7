// Builds the body an OpenAI-compatible upstream receives: the client's request with the upstream
// model name, adjusted to the vendor's quirks. Whatever cannot be sent as asked is dropped or
// adjusted with a warning in plain words; nothing changes silently.
import type { ChatCompletionRequest, ChatMessage } from '../../api/index.js';
import type { CompletionRequest, EmbeddingsRequest } from '../provider-contract.js';
import type { NumberRange, ResolvedQuirks, ToolChoiceKind } from './openai-compatible-quirks.js';

/** Written by the adapter itself, never copied from the client's request. */
const adapterFields = new Set(['model', 'messages', 'stream', 'stream_options']);

function isAccepted(key: string, quirks: ResolvedQuirks): boolean {
  if (quirks.unsupportedParameters.has(key)) return false;
  const allowed = quirks.supportedParameters;
  return allowed === undefined || allowed.has(quirks.renamedParameters.get(key) ?? key);
}

/** Copies the client's parameters: drops what the upstream refuses, renames what it spells otherwise. */
function copyParameters(source: Readonly<Record<string, unknown>>, body: Record<string, unknown>, quirks: ResolvedQuirks, warnings: string[]): void {
  for (const key in source) {
    if (adapterFields.has(key)) continue;
    const value = source[key];
    // null means "the default" in OpenAI's API; several compatible servers reject it.
    if (value === undefined || value === null) continue;
    if (!isAccepted(key, quirks)) {
      warnings.push(`${quirks.subject} does not support '${key}'; it was not sent.`);
      continue;
    }
    const target = quirks.renamedParameters.get(key);
    if (target === undefined) body[key] = value;
    // When the client sent both spellings, the upstream's own field wins.
    else if (!(target in source) || source[target] === undefined || source[target] === null) body[target] = value;
  }
}

function clampToRange(body: Record<string, unknown>, key: string, range: NumberRange | undefined, subject: string, warnings: string[]): void {
  const value = body[key];
  if (range === undefined || typeof value !== 'number') return;
  const clamped = Math.min(range.maximum, Math.max(range.minimum, value));
  if (clamped !== value) {
    body[key] = clamped;
    warnings.push(`${subject} accepts ${key} from ${range.minimum} to ${range.maximum}; ${value} was sent as ${clamped}.`);
  }
}

function limitChoices(body: Record<string, unknown>, quirks: ResolvedQuirks, warnings: string[]): void {
  const maximum = quirks.maximumChoices;
  const requested = body['n'];
  if (maximum === undefined || typeof requested !== 'number' || requested <= maximum) return;
  if (maximum === 1) delete body['n'];
  else body['n'] = maximum;
  warnings.push(`${quirks.subject} returns at most ${maximum} choice${maximum === 1 ? '' : 's'} per request; n=${requested} was sent as ${maximum}.`);
}

function limitStopSequences(body: Record<string, unknown>, quirks: ResolvedQuirks, warnings: string[]): void {
  const maximum = quirks.maximumStopSequences;
  const stop = body['stop'];
  if (maximum === undefined || !Array.isArray(stop) || stop.length <= maximum) return;
  body['stop'] = stop.slice(0, maximum);
  warnings.push(`${quirks.subject} accepts at most ${maximum} stop sequence${maximum === 1 ? '' : 's'}; only the first ${maximum === 1 ? 'one was' : `${maximum} were`} sent.`);
}

function adjustToolChoice(body: Record<string, unknown>, quirks: ResolvedQuirks, warnings: string[]): void {
  const choice = body['tool_choice'];
  if (choice === undefined) return;
  const kind: ToolChoiceKind = typeof choice === 'string' ? (choice as ToolChoiceKind) : 'function';
  if (quirks.toolChoices !== undefined && !quirks.toolChoices.has(kind)) {
    delete body['tool_choice'];
    warnings.push(`${quirks.subject} does not support tool_choice '${kind}'; it was not sent.`);
    return;
  }
  if (typeof choice === 'string') {
    const renamed = quirks.toolChoiceNames.get(choice);
    if (renamed !== undefined) body['tool_choice'] = renamed;
  }
}

function textOf(content: readonly unknown[]): string | undefined {
  let text = '';
  for (const part of content) {
    if (typeof part !== 'object' || part === null || !('type' in part) || part.type !== 'text' || !('text' in part) || typeof part.text !== 'string') return undefined;
    text += part.text;
  }
  return text;
}

/** Adapts messages to the upstream; the client's array is copied only when something changes. */
function convertMessages(messages: readonly ChatMessage[], quirks: ResolvedQuirks, warnings: string[]): readonly unknown[] {
  let converted: unknown[] | undefined;
  let droppedNames = false;
  for (let index = 0; index < messages.length; index += 1) {
    const message = messages[index];
    if (message === undefined) continue;
    let copy: Record<string, unknown> | undefined;
    if (!quirks.developerRole && message.role === 'developer') copy = { ...message, role: 'system' };
    if (!quirks.messageNames && 'name' in message && message.name !== undefined) {
      copy ??= { ...message };
      delete copy['name'];
      droppedNames = true;
    }
    if (quirks.textContentAsString && Array.isArray(message.content)) {
      const text = textOf(message.content);
      if (text !== undefined) {
        copy ??= { ...message };
        copy['content'] = text;
      }
    }
    if (copy !== undefined) {
      converted ??= messages.slice(0, index);
      converted.push(copy);
    } else if (converted !== undefined) {
      converted.push(message);
    }
  }
  if (droppedNames) warnings.push(`${quirks.subject} does not accept 'name' on messages; the names were not sent.`);
  return converted ?? messages;
}

export function convertToOpenAiCompatibleChatRequest(
  request: ChatCompletionRequest,
  upstreamModel: string,
  quirks: ResolvedQuirks,
  stream: boolean,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, messages: convertMessages(request.messages, quirks, warnings) };
  copyParameters(request, body, quirks, warnings);
  clampToRange(body, 'temperature', quirks.temperatureRange, quirks.subject, warnings);
  clampToRange(body, 'top_p', quirks.topPRange, quirks.subject, warnings);
  limitChoices(body, quirks, warnings);
  limitStopSequences(body, quirks, warnings);
  adjustToolChoice(body, quirks, warnings);
  if (stream) {
    body['stream'] = true;
    // Billing needs the token counts of every stream, whether or not the client asked for them.
    if (quirks.streamUsage === 'request') body['stream_options'] = { include_usage: true };
  }
  return body;
}

/**
 * Floats are always asked for: the contract returns numbers, and the edge encodes base64 for
 * clients that want it.
 */
export function convertToOpenAiCompatibleEmbeddingsRequest(request: EmbeddingsRequest, upstreamModel: string, quirks: ResolvedQuirks, warnings: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, input: request.input };
  const { input: _input, encoding_format: _encodingFormat, ...parameters } = request;
  copyParameters(parameters, body, quirks, warnings);
  return body;
}

/** Legacy completions exist only on lenient servers: the request passes through, unstreamed. */
export function convertToOpenAiCompatibleCompletionRequest(request: CompletionRequest, upstreamModel: string, subject: string, warnings: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel };
  for (const key in request) {
    if (key === 'model' || key === 'stream' || key === 'stream_options') continue;
    const value = request[key];
    if (value !== undefined && value !== null) body[key] = value;
  }
  if (request['stream'] === true) warnings.push(`Streaming is not available for legacy completions through ${subject}; the answer was sent in one piece.`);
  return body;
}
