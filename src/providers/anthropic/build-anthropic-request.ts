// A validated OpenAI chat request → the Anthropic Messages request body. Every parameter
// Anthropic lacks is dropped with a warning, so the caller learns what was not honoured.
import type { ChatCompletionRequest } from '../../api/index.js';
import type { AnthropicMessagesRequest } from './anthropic-request-types.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { prepareAnthropicTools } from './prepare-anthropic-tools.js';

export interface AnthropicRequestPlan {
  readonly body: AnthropicMessagesRequest;
  /** The forced tool that carries a JSON answer, when response_format asked for one. */
  readonly jsonToolName: string | undefined;
}

export interface AnthropicRequestOptions {
  /** Used when the request sets no max_tokens: Anthropic requires one. */
  readonly defaultMaxTokens: number;
}

function isSet<Value>(value: Value | null | undefined): value is Value {
  return value !== null && value !== undefined;
}

function warnAboutUnsupported(request: ChatCompletionRequest, warnings: string[]): void {
  const dropped: string[] = [];
  if (isSet(request.n) && request.n > 1) dropped.push('n (Anthropic returns one choice)');
  if (isSet(request.seed)) dropped.push('seed');
  if (request.logprobs === true || isSet(request.top_logprobs)) dropped.push('logprobs');
  if (isSet(request.presence_penalty) && request.presence_penalty !== 0) dropped.push('presence_penalty');
  if (isSet(request.frequency_penalty) && request.frequency_penalty !== 0) dropped.push('frequency_penalty');
  if (isSet(request.logit_bias) && Object.keys(request.logit_bias).length > 0) dropped.push('logit_bias');
  if (request.reasoning_effort !== undefined) dropped.push('reasoning_effort');
  for (const name of dropped) warnings.push(`${name} was dropped: Anthropic does not support it.`);
}

export function buildAnthropicRequest(
  request: ChatCompletionRequest,
  upstreamModel: string,
  options: AnthropicRequestOptions,
  warnings: string[],
): AnthropicRequestPlan {
  warnAboutUnsupported(request, warnings);
  const prompt = convertToAnthropicMessages(request.messages, warnings);
  const tools = prepareAnthropicTools(request, warnings);
  const body: AnthropicMessagesRequest = {
    model: upstreamModel,
    messages: prompt.messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens,
  };
  if (prompt.system !== undefined) body.system = prompt.system;
  if (tools.tools !== undefined) body.tools = tools.tools;
  if (tools.toolChoice !== undefined) body.tool_choice = tools.toolChoice;
  if (isSet(request.temperature)) {
    // OpenAI's range is 0–2, Anthropic's 0–1.
    if (request.temperature > 1) warnings.push(`temperature ${request.temperature} was lowered to 1, the most Anthropic accepts.`);
    body.temperature = Math.min(request.temperature, 1);
  }
  // Recent Claude models refuse temperature and top_p together; Anthropic advises one or the other.
  if (isSet(request.top_p) && isSet(request.temperature)) warnings.push('top_p was dropped: Anthropic does not accept it together with temperature.');
  else if (isSet(request.top_p)) body.top_p = request.top_p;
  if (isSet(request.stop)) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : [...request.stop];
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  return { body, jsonToolName: tools.jsonToolName };
}
