// /v1/responses: the Responses API, served by the responses service over the router's chat
// execution; streamed as typed SSE events (`event: <type>` + `data: <json>`).
import type { FastifyInstance } from 'fastify';
import { encodeSseEvent, parseBody } from '../../api/index.js';
import { toModelmartError } from '../../core/index.js';
import { responsesRequestSchema, type ResponsesService } from '../../responses/index.js';
import { promptTokenUpperBound } from '../../api/token-counting.js';
import type { ChatCompletionRequest } from '../../api/index.js';
import type { Router } from '../../routing/index.js';
import { clientAbortSignal, EventStreamWriter } from '../event-stream-writer.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { admitCall, withMeteredCall, type GatewayMetering } from '../middleware/gateway-metering.js';
import { isGptModel } from '../../gpts/index.js';
import { handleGptResponses, type GptRunRoutes } from './v1-gpt-run-handlers.js';

export function registerV1ResponsesRoutes(app: FastifyInstance, router: Router, responses: ResponsesService, metering?: GatewayMetering, gpts?: GptRunRoutes): void {
  app.post('/v1/responses', async (request, reply) => {
    const body = parseBody(responsesRequestSchema, request.body);
    if (gpts !== undefined && isGptModel(body.model)) return handleGptResponses(gpts, responses, request, reply, body);
    const principal = requirePrincipal(request);
    const plan = router.resolve(body.model);
    const requestId = request.id;
    const meteringRequest = (chatRequest: ChatCompletionRequest) => ({
      requestId,
      principal,
      plan,
      promptTokenBound: () => promptTokenUpperBound(chatRequest),
      maxOutputTokens: chatRequest.max_completion_tokens ?? chatRequest.max_tokens ?? undefined,
    });
    const result = await responses.create(body, {
      keyId: principal.keyId,
      signal: clientAbortSignal(reply),
      // Admitted once the conversation is resolved, so the held worst case covers inherited turns too.
      executeChat: async (chatRequest, signal) => {
        const call = await admitCall(metering, meteringRequest(chatRequest), reply);
        const execution = await withMeteredCall(call, () => router.executeChat(plan, chatRequest, { requestId, signal, onUsage: call.onUsage }));
        reply.header('x-modelmart-target', execution.target.publicModelId);
        return execution.completion.usage === undefined ? { ...execution.completion, usage: execution.usage } : execution.completion;
      },
      executeStreamChat: (chatRequest, signal) => ({
        async *[Symbol.asyncIterator]() {
          const call = await admitCall(metering, meteringRequest(chatRequest), reply);
          const execution = await withMeteredCall(call, () => router.executeStreamChat(plan, chatRequest, { requestId, signal, onUsage: call.onUsage }));
          reply.header('x-modelmart-target', execution.target.publicModelId);
          yield* execution.parts;
        },
      }),
    });
    if (result.kind === 'response') return result.response;

    const writer = new EventStreamWriter(reply);
    try {
      for await (const event of result.events) {
        if (writer.closed) break;
        await writer.write(encodeSseEvent(event.type, event));
      }
      writer.end();
    } catch (error) {
      writer.fail(toModelmartError(error));
    }
    return reply;
  });

  app.get<{ Params: { id: string } }>('/v1/responses/:id', async (request) => responses.retrieve(request.params.id, requirePrincipal(request).keyId));

  app.delete<{ Params: { id: string } }>('/v1/responses/:id', async (request) => responses.delete(request.params.id, requirePrincipal(request).keyId));
}
