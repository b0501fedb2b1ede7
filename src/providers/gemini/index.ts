// The Gemini API provider: translation both ways between OpenAI chat and generateContent.
export { createGeminiAdapter, defaultGeminiBaseUrl } from './gemini-adapter.js';
export { buildGeminiRequest } from './build-gemini-request.js';
export { convertFromGeminiResponse } from './convert-from-gemini-response.js';
export { convertJsonSchemaToGemini } from './convert-json-schema-to-gemini.js';
export { translateGeminiStream, type GeminiStreamOptions } from './gemini-stream-translator.js';
