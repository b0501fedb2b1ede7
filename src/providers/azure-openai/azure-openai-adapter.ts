// The Azure OpenAI provider: the OpenAI wire format, addressed by deployment. The upstream model
// name is the deployment; the key goes in the `api-key` header (or set `Authorization` in
// the provider's headers for Microsoft Entra tokens).
import { chatCompletionSchema, type ChatCompletion, type ChatCompletionRequest } from '../../api/index.js';
import type { ProviderConfig } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';
import { postForEvents, postJson, type UpstreamRequest } from '../http/index.js';
import type { CompletionRequest, EmbeddingsResult, ProviderAdapter, ProviderCallContext, StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { azureEmbeddingsResponseSchema } from './azure-openai-api-types.js';
import { translateAzureOpenAiStream } from './azure-openai-stream-translator.js';
import { azureOpenAiEndpoint, type AzureOperation } from './azure-openai-urls.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The public model name means nothing to Azure, and older API versions refuse the developer
// role, which OpenAI treats as a system message for models that lack it anyway.
function chatBody(request: ChatCompletionRequest): Record<string, unknown> {
  const { model: _publicModel, stream: _stream, stream_options: _streamOptions, ...rest } = request;
  const messages = request.messages.map((message) => (message.role === 'developer' ? { ...message, role: 'system' as const } : message));
  return { ...rest, messages };
}

export function createAzureOpenAiAdapter(config: ProviderConfig): ProviderAdapter {
  const { baseUrl } = config;
  if (baseUrl === undefined) {
    throw new ModelmartError(500, `Provider ${JSON.stringify(config.id)} (azure-openai) needs a baseUrl: the resource endpoint, https://<resource>.openai.azure.com.`, { code: 'provider_misconfigured' });
  }
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    ...(config.apiKey === undefined ? {} : { 'api-key': config.apiKey }),
    ...config.headers,
  };
  const jsonHeaders = { ...baseHeaders, accept: 'application/json' };
  const streamHeaders = { ...baseHeaders, accept: 'text/event-stream' };

  function upstreamRequest(deployment: string, operation: AzureOperation, body: Record<string, unknown>, headers: Record<string, string>, context: ProviderCallContext): UpstreamRequest {
    const endpoint = azureOpenAiEndpoint(baseUrl ?? '', config.apiVersion, deployment, operation);
    return {
      provider: config.id,
      url: endpoint.url,
      headers,
      body: endpoint.deploymentInBody ? { model: deployment, ...body } : body,
      signal: context.signal,
      ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    };
  }

  const invalidResponse = (what: string, cause: unknown): UpstreamError =>
    new UpstreamError({ provider: config.id, status: 502, message: `the upstream answered with a body that is not ${what}`, code: 'upstream_invalid_response' }, cause);

  return {
    id: config.id,
    type: 'azure-openai',

    async chat(request, deployment, context): Promise<ChatCompletion> {
      const response = await postJson(upstreamRequest(deployment, 'chat/completions', chatBody(request), jsonHeaders, context));
      const parsed = chatCompletionSchema.safeParse(response.body);
      if (!parsed.success) throw invalidResponse('a chat.completion', parsed.error);
      return parsed.data;
    },

    async *streamChat(request, deployment, context): AsyncGenerator<StreamPart> {
      // Usage is always asked for: billing needs it whether or not the client wants it shown.
      const body = { ...chatBody(request), stream: true, stream_options: { include_usage: true } };
      const events = postForEvents(upstreamRequest(deployment, 'chat/completions', body, streamHeaders, context), { requireTerminator: true });
      yield* translateAzureOpenAiStream(events, config.id);
    },

    async embed(request, deployment, context): Promise<EmbeddingsResult> {
      // Always floats: the edge encodes base64 itself when a client asks for it.
      const body: Record<string, unknown> = { input: request.input };
      if (request.dimensions !== undefined) body['dimensions'] = request.dimensions;
      if (request.user !== undefined) body['user'] = request.user;
      const response = await postJson(upstreamRequest(deployment, 'embeddings', body, jsonHeaders, context));
      const parsed = azureEmbeddingsResponseSchema.safeParse(response.body);
      if (!parsed.success) throw invalidResponse('an embeddings list', parsed.error);
      return { data: parsed.data.data.map(({ index, embedding }) => ({ index, embedding })), usage: parsed.data.usage };
    },

    async complete(request: CompletionRequest, deployment, context): Promise<Record<string, unknown>> {
      const { model: _publicModel, stream: _stream, stream_options: _streamOptions, ...rest } = request;
      const response = await postJson(upstreamRequest(deployment, 'completions', rest, jsonHeaders, context));
      if (!isRecord(response.body)) throw invalidResponse('a completion', undefined);
      return response.body;
    },
  };
}
