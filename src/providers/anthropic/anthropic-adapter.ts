// The Anthropic provider: OpenAI-shaped chat in, Messages API (`POST {baseUrl}/v1/messages`)
// upstream, OpenAI-shaped answers and stream parts back.
import type { ChatCompletion, ChatCompletionRequest } from '../../api/index.js';
import type { ProviderConfig } from '../../config/index.js';
import { postForEvents, postJson, type UpstreamRequest } from '../http/index.js';
import type { ProviderAdapter, ProviderCallContext, StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { anthropicMessageSchema } from './anthropic-api-types.js';
import { describeAnthropicError } from './anthropic-errors.js';
import { translateAnthropicStream } from './anthropic-stream-translator.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';

export const defaultAnthropicBaseUrl = 'https://api.anthropic.com';
export const anthropicApiVersion = '2023-06-01';
/** Anthropic requires max_tokens; this is used when neither the request nor the config sets one. */
export const defaultAnthropicMaxTokens = 4096;

function messagesUrl(baseUrl: string | undefined): string {
  const base = (baseUrl ?? defaultAnthropicBaseUrl).replace(/\/+$/, '');
  // Accept a baseUrl written with or without the version segment.
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

function maxOutputTokensFor(config: ProviderConfig, upstreamModel: string): number | undefined {
  for (const model of config.models) {
    if (typeof model !== 'string' && (model.upstreamName ?? model.name) === upstreamModel) return model.maxOutputTokens;
  }
  return undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function createAnthropicAdapter(config: ProviderConfig): ProviderAdapter {
  const url = messagesUrl(config.baseUrl);
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': anthropicApiVersion,
    ...(config.apiKey === undefined ? {} : { 'x-api-key': config.apiKey }),
    ...config.headers,
  };
  const jsonHeaders = { ...baseHeaders, accept: 'application/json' };
  const streamHeaders = { ...baseHeaders, accept: 'text/event-stream' };

  function upstreamRequest(body: unknown, headers: Record<string, string>, context: ProviderCallContext): UpstreamRequest {
    return {
      provider: config.id,
      url,
      headers,
      body,
      signal: context.signal,
      describeError: describeAnthropicError,
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    };
  }

  function plan(request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext) {
    const defaultMaxTokens = maxOutputTokensFor(config, upstreamModel) ?? defaultAnthropicMaxTokens;
    return buildAnthropicRequest(request, upstreamModel, { defaultMaxTokens }, context.warnings);
  }

  return {
    id: config.id,
    type: 'anthropic',

    async chat(request, upstreamModel, context): Promise<ChatCompletion> {
      const { body, jsonToolName } = plan(request, upstreamModel, context);
      const response = await postJson(upstreamRequest(body, jsonHeaders, context));
      const parsed = anthropicMessageSchema.safeParse(response.body);
      if (!parsed.success) {
        throw new UpstreamError({ provider: config.id, status: 502, message: 'the upstream answered with a body that is not an Anthropic message', code: 'upstream_invalid_response' }, parsed.error);
      }
      return convertFromAnthropicResponse(parsed.data, upstreamModel, jsonToolName, nowSeconds());
    },

    async *streamChat(request, upstreamModel, context): AsyncGenerator<StreamPart> {
      const { body, jsonToolName } = plan(request, upstreamModel, context);
      const events = postForEvents(upstreamRequest({ ...body, stream: true }, streamHeaders, context), {
        // message_stop ends the stream; treating it as the terminator lets the socket return to the pool.
        isTerminator: (event) => event.event === 'message_stop',
      });
      yield* translateAnthropicStream(events, { provider: config.id, fallbackModel: upstreamModel, jsonToolName, createdSeconds: nowSeconds() });
    },
  };
}
