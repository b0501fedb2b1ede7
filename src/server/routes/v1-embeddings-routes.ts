// POST /v1/embeddings and POST /v1/completions (legacy): validate, route, answer in the OpenAI shape.
import type { FastifyInstance } from 'fastify';
import {
  encodeEmbeddingBase64,
  encodeSseData,
  embeddingsRequestSchema,
  parseBody,
  sseDone,
  textCompletionRequestSchema,
  type EmbeddingsResponse,
} from '../../api/index.js';
import { textTokenBound } from '../../api/token-counting.js';
import type { Router } from '../../routing/index.js';
import { clientDisconnectSignal, EventStreamWriter, warningHeader } from '../event-stream-writer.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { admitCall, withMeteredCall, type GatewayMetering } from '../middleware/gateway-metering.js';

/** At least the tokens of an embeddings or legacy completions input: strings by their bytes, token arrays by their length. */
function countInputTokens(input: unknown): number {
  if (typeof input === 'string') return textTokenBound(input);
  if (typeof input === 'number') return 1;
  if (Array.isArray(input)) return input.reduce<number>((total, item) => total + countInputTokens(item), 0);
  return 0;
}

export function registerV1EmbeddingsRoutes(app: FastifyInstance, router: Router, metering?: GatewayMetering): void {
  app.post('/v1/embeddings', async (request, reply) => {
    const body = parseBody(embeddingsRequestSchema, request.body);
    const plan = router.resolve(body.model);
    // Upstreams are asked for floats; base64 (the openai SDK's default) is encoded here, so
    // every provider supports both.
    const { encoding_format: encodingFormat, ...upstreamRequest } = body;
    const call = await admitCall(metering, { requestId: request.id, principal: requirePrincipal(request), plan, promptTokenBound: () => countInputTokens(body.input), maxOutputTokens: 0 }, reply);
    const execution = await withMeteredCall(call, () =>
      router.executeEmbeddings(plan, { ...upstreamRequest, encoding_format: 'float' }, { requestId: request.id, signal: clientDisconnectSignal(reply), onUsage: call.onUsage }),
    );
    reply.header('x-modelmart-target', execution.target.publicModelId);
    const response: EmbeddingsResponse = {
      object: 'list',
      model: body.model,
      data: execution.result.data.map((item) => ({
        object: 'embedding',
        index: item.index,
        embedding: encodingFormat === 'base64' ? encodeEmbeddingBase64(item.embedding) : [...item.embedding],
      })),
      usage: { prompt_tokens: execution.result.usage.prompt_tokens, total_tokens: execution.result.usage.total_tokens },
    };
    return response;
  });

  app.post('/v1/completions', async (request, reply) => {
    const body = parseBody(textCompletionRequestSchema, request.body);
    const plan = router.resolve(body.model);
    const { stream, stream_options: streamOptions, ...upstreamRequest } = body;
    const call = await admitCall(metering, { requestId: request.id, principal: requirePrincipal(request), plan, promptTokenBound: () => countInputTokens(body.prompt), maxOutputTokens: body.max_tokens ?? undefined }, reply);
    const execution = await withMeteredCall(call, () =>
      router.executeCompletion(plan, upstreamRequest, { requestId: request.id, signal: clientDisconnectSignal(reply), onUsage: call.onUsage }),
    );
    reply.header('x-modelmart-target', execution.target.publicModelId);
    const warning = warningHeader(execution.warnings);
    if (warning !== undefined) reply.header('warning', warning);
    if (stream !== true) return execution.body;
    // Upstreams answer legacy completions whole; a streaming client gets that answer as one
    // chunk, then the usage chunk it asked for, then [DONE].
    const writer = new EventStreamWriter(reply);
    const { usage, ...chunk } = execution.body;
    await writer.write(encodeSseData(chunk));
    if (streamOptions?.include_usage === true && usage !== undefined) await writer.write(encodeSseData({ ...chunk, choices: [], usage }));
    await writer.write(sseDone);
    writer.end();
    return reply;
  });
}
