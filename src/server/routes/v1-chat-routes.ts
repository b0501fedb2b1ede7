// POST /v1/chat/completions: validate, resolve the model to a RoutePlan, execute it (streamed or
// not), and answer in the OpenAI shape. Business logic lives in routing and providers.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { chatCompletionRequestSchema, encodeSseData, parseBody, sseDone, type ChatCompletionChunk, type Usage } from '../../api/index.js';
import { promptTokenUpperBound } from '../../api/token-counting.js';
import { toModelmartError } from '../../core/index.js';
import type { Router } from '../../routing/index.js';
import { clientDisconnectSignal, EventStreamWriter, warningHeader } from '../event-stream-writer.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { admitCall, withMeteredCall, type GatewayMetering } from '../middleware/gateway-metering.js';
import { isGptModel } from '../../gpts/index.js';
import { handleGptChat, type GptRunRoutes } from './v1-gpt-run-handlers.js';

function usageChunk(template: ChatCompletionChunk | undefined, usage: Usage): ChatCompletionChunk {
  return {
    id: template?.id ?? 'chatcmpl-usage',
    object: 'chat.completion.chunk',
    created: template?.created ?? Math.floor(Date.now() / 1000),
    model: template?.model ?? '',
    choices: [],
    usage,
  };
}

function setRoutingHeaders(reply: FastifyReply, target: string, warnings: readonly string[]): void {
  reply.header('x-modelmart-target', target);
  const warning = warningHeader(warnings);
  if (warning !== undefined) reply.header('warning', warning);
}

export function registerV1ChatRoutes(app: FastifyInstance, router: Router, metering?: GatewayMetering, gpts?: GptRunRoutes): void {
  app.post('/v1/chat/completions', async (request, reply) => {
    const body = parseBody(chatCompletionRequestSchema, request.body);
    if (gpts !== undefined && isGptModel(body.model)) return handleGptChat(gpts, request, reply, body);
    const plan = router.resolve(body.model);
    const call = await admitCall(
      metering,
      { requestId: request.id, principal: requirePrincipal(request), plan, promptTokenBound: () => promptTokenUpperBound(body), maxOutputTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined },
      reply,
    );
    const signal = clientDisconnectSignal(reply);
    const options = { requestId: request.id, signal, onUsage: call.onUsage };

    if (body.stream !== true) {
      const result = await withMeteredCall(call, () => router.executeChat(plan, body, options));
      setRoutingHeaders(reply, result.target.publicModelId, result.warnings);
      return result.completion.usage === undefined ? { ...result.completion, usage: result.usage } : result.completion;
    }

    // Errors before the first part still become ordinary HTTP errors (the handler writes them).
    const execution = await withMeteredCall(call, () => router.executeStreamChat(plan, body, options));
    setRoutingHeaders(reply, execution.target.publicModelId, execution.warnings);
    const writer = new EventStreamWriter(reply);
    const includeUsage = body.stream_options?.include_usage === true;
    let lastChunk: ChatCompletionChunk | undefined;
    try {
      for await (const part of execution.parts) {
        if (writer.closed) {
          execution.cancel();
          break;
        }
        let pending: Promise<void> | undefined;
        if (part.type === 'chunk') {
          lastChunk = part.chunk;
          pending = writer.write(part.encoded === undefined ? encodeSseData(part.chunk) : `data: ${part.encoded}\n\n`);
        } else if (includeUsage) {
          pending = writer.write(encodeSseData(usageChunk(lastChunk, part.usage)));
        }
        // Only a full socket buffer is waited for; that is what slows a fast upstream to a slow client.
        if (pending !== undefined) await pending;
      }
      writer.write(sseDone);
      writer.end();
    } catch (error) {
      const failure = toModelmartError(error);
      if (failure.status >= 500) request.log.warn({ err: error }, 'stream ended by an upstream failure');
      writer.fail(failure);
    }
    return reply;
  });
}
