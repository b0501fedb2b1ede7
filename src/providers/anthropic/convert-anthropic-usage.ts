// Anthropic usage → OpenAI usage. Anthropic counts cache reads and cache writes apart from
// input_tokens; OpenAI's prompt_tokens includes every prompt token, cached or not.
import type { Usage } from '../../api/index.js';
import type { AnthropicUsage } from './anthropic-api-types.js';

export function convertAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const promptTokens = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completionTokens = usage.output_tokens ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/** Stream usage arrives in pieces: message_start has the input side, message_delta the output. */
export function mergeAnthropicUsage(earlier: AnthropicUsage | undefined, later: AnthropicUsage | undefined): AnthropicUsage | undefined {
  if (later === undefined) return earlier;
  if (earlier === undefined) return later;
  const merged: AnthropicUsage = { ...earlier };
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    const value = later[key];
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
