// Maps an OpenAI chat request's sampling parameters onto node-llama-cpp's generation options.
// Parameters the engine cannot honour are dropped, each with a line in the call's warnings.
import type { ChatCompletionRequest } from '../../api/index.js';
import type { LlamaCppModelSpec } from './llama-cpp-model-specs.js';

export interface GenerationSettings {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topP: number | undefined;
  readonly seed: number | undefined;
  readonly stop: readonly string[];
  readonly presencePenalty: number | undefined;
  readonly frequencyPenalty: number | undefined;
  /** `json` for response_format json_object; a JSON schema for json_schema. */
  readonly jsonOutput: { readonly kind: 'json' } | { readonly kind: 'schema'; readonly schema: Readonly<Record<string, unknown>> } | undefined;
}

/** OpenAI's default temperature; node-llama-cpp's own default (0) would make every answer greedy. */
export const defaultTemperature = 1;

export function buildGenerationSettings(request: ChatCompletionRequest, spec: LlamaCppModelSpec, contextSize: number, warnings: string[]): GenerationSettings {
  if (typeof request.n === 'number' && request.n > 1) warnings.push(`n=${request.n} was dropped: the embedded engine returns one choice.`);
  if (request.logprobs === true || typeof request.top_logprobs === 'number') warnings.push('logprobs and top_logprobs were dropped: the embedded engine does not return log probabilities.');
  if (request.logit_bias !== undefined && request.logit_bias !== null) warnings.push('logit_bias was dropped: its token ids belong to OpenAI\'s tokenizer, not this model\'s.');
  if (request.tools !== undefined && request.tools.length > 0) warnings.push('tools were dropped: the embedded engine serves no tools, so the model answers in text.');
  else if (request.tool_choice !== undefined) warnings.push('tool_choice was dropped: the request has no tools.');
  if (request.reasoning_effort !== undefined) warnings.push('reasoning_effort was dropped: the embedded engine does not support it.');

  const requestedMaximum = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  // Without any bound a model that never emits its end token would generate forever (the
  // context shifts as it fills), so the context size is the last resort.
  const maxTokens = requestedMaximum ?? spec.maxOutputTokens ?? contextSize;
  const stop = request.stop === undefined || request.stop === null ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop;

  let jsonOutput: GenerationSettings['jsonOutput'];
  const format = request.response_format;
  if (format?.type === 'json_object') jsonOutput = { kind: 'json' };
  else if (format?.type === 'json_schema') {
    jsonOutput = format.json_schema.schema === undefined ? { kind: 'json' } : { kind: 'schema', schema: format.json_schema.schema };
  }

  return {
    maxTokens,
    temperature: request.temperature ?? defaultTemperature,
    topP: request.top_p ?? undefined,
    seed: request.seed ?? undefined,
    stop: stop.filter((sequence) => sequence !== ''),
    presencePenalty: request.presence_penalty ?? undefined,
    frequencyPenalty: request.frequency_penalty ?? undefined,
    jsonOutput,
  };
}
