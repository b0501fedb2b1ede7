// Gemini usageMetadata → OpenAI usage. Thinking tokens are billed as output, as OpenAI counts
// reasoning tokens inside completion_tokens; promptTokenCount already includes cached tokens.
import type { Usage } from '../../api/index.js';
import type { GeminiUsageMetadata } from './gemini-api-types.js';

export function convertGeminiUsage(metadata: GeminiUsageMetadata): Usage {
  const promptTokens = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  const reasoningTokens = metadata.thoughtsTokenCount ?? 0;
  const completionTokens = (metadata.candidatesTokenCount ?? 0) + reasoningTokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: metadata.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}
