// The Gemini provider: OpenAI-shaped chat in, Gemini API generateContent upstream
// (`{baseUrl}/v1beta/models/{model}:generateContent`, streamed with `alt=sse`), OpenAI shapes back.
import type { ChatCompletion } from '../../api/index.js';
import type { ProviderConfig } from '../../config/index.js';
import { postForEvents, postJson, type UpstreamRequest } from '../http/index.js';
import type { ProviderAdapter, ProviderCallContext, StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import { convertFromGeminiResponse } from './convert-from-gemini-response.js';
import { geminiResponseSchema } from './gemini-api-types.js';
import { describeGeminiError } from './gemini-errors.js';
import { translateGeminiStream } from './gemini-stream-translator.js';

export const defaultGeminiBaseUrl = 'https://generativelanguage.googleapis.com';

function modelUrl(baseUrl: string | undefined, upstreamModel: string, method: string): string {
  const base = (baseUrl ?? defaultGeminiBaseUrl).replace(/\/+$/, '');
  // Accept a baseUrl written with or without the version segment.
  const versioned = /\/v1(beta|alpha)?\d*$/.test(base) ? base : `${base}/v1beta`;
  // Tuned models are named `tunedModels/…`; base models may be written with or without `models/`.
  const resource = /^(models|tunedModels)\//.test(upstreamModel) ? upstreamModel : `models/${upstreamModel}`;
  return `${versioned}/${resource.split('/').map(encodeURIComponent).join('/')}:${method}`;
}

// Gemini 3 and later validate thought signatures on replayed function calls.
function validatesThoughtSignatures(upstreamModel: string): boolean {
  const major = /^(?:models\/)?gemini-(\d+)/.exec(upstreamModel)?.[1];
  return major !== undefined && Number(major) >= 3;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function createGeminiAdapter(config: ProviderConfig): ProviderAdapter {
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    ...(config.apiKey === undefined ? {} : { 'x-goog-api-key': config.apiKey }),
    ...config.headers,
  };
  const jsonHeaders = { ...baseHeaders, accept: 'application/json' };
  const streamHeaders = { ...baseHeaders, accept: 'text/event-stream' };

  function upstreamRequest(url: string, body: unknown, headers: Record<string, string>, context: ProviderCallContext): UpstreamRequest {
    return {
      provider: config.id,
      url,
      headers,
      body,
      signal: context.signal,
      describeError: describeGeminiError,
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    };
  }

  return {
    id: config.id,
    type: 'gemini',

    async chat(request, upstreamModel, context): Promise<ChatCompletion> {
      const body = buildGeminiRequest(request, { placeholderThoughtSignatures: validatesThoughtSignatures(upstreamModel) }, context.warnings);
      const response = await postJson(upstreamRequest(modelUrl(config.baseUrl, upstreamModel, 'generateContent'), body, jsonHeaders, context));
      const parsed = geminiResponseSchema.safeParse(response.body);
      if (!parsed.success) {
        throw new UpstreamError({ provider: config.id, status: 502, message: 'the upstream answered with a body that is not a GenerateContentResponse', code: 'upstream_invalid_response' }, parsed.error);
      }
      return convertFromGeminiResponse(parsed.data, upstreamModel, nowSeconds());
    },

    async *streamChat(request, upstreamModel, context): AsyncGenerator<StreamPart> {
      const body = buildGeminiRequest(request, { placeholderThoughtSignatures: validatesThoughtSignatures(upstreamModel) }, context.warnings);
      const url = `${modelUrl(config.baseUrl, upstreamModel, 'streamGenerateContent')}?alt=sse`;
      // Gemini's stream has no end marker: it simply closes after the event with finishReason.
      const events = postForEvents(upstreamRequest(url, body, streamHeaders, context));
      yield* translateGeminiStream(events, { provider: config.id, fallbackModel: upstreamModel, createdSeconds: nowSeconds() });
    },
  };
}
