// The Anthropic Messages API provider: translation both ways between OpenAI chat and Anthropic.
export { createAnthropicAdapter, defaultAnthropicBaseUrl, anthropicApiVersion, defaultAnthropicMaxTokens } from './anthropic-adapter.js';
export { buildAnthropicRequest, type AnthropicRequestPlan } from './build-anthropic-request.js';
export { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';
export { translateAnthropicStream, type AnthropicStreamOptions } from './anthropic-stream-translator.js';
