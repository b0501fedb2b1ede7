// `model: "gpt:<slug>[@<version>]"` on POST /v1/chat/completions and POST /v1/responses: the GPT
// runner does the work; this file admits each model call through the caller's metering, checks
// the base model against the licence policy, and writes the answer in the same shapes (JSON and
// SSE) as every other model's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../accounts/index.js';
import { encodeSseData, encodeSseEvent, sseDone, type ChatCompletionRequest, type ChatCompletionChunk } from '../../api/index.js';
import type { CatalogService } from '../../catalog/index.js';
import type { OrganisationProfile } from '../../config/index.js';
import { toModelmartError } from '../../core/index.js';
import {
  asServiceCompletion,
  chatCompletionOf,
  closingChunks,
  gptResponse,
  GptResponseStreamDecorator,
  usageChunkOf,
  type BaseModelCheck,
  type GptRunContext,
  type GptRunFinish,
  type GptRunner,
  type PreparedGptRun,
} from '../../gpts/index.js';
import type { ResponsesRequest, ResponsesService } from '../../responses/index.js';
import type { StreamPart } from '../../providers/provider-contract.js';
import { clientAbortSignal, EventStreamWriter } from '../event-stream-writer.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { admitCall, type GatewayMetering, type HeaderSink } from '../middleware/gateway-metering.js';
import { applyCatalogueVerdict } from '../middleware/license-policy.js';

export interface GptRunRoutes {
  readonly runner: GptRunner;
  /** config.gpts.runner.maxSteps, named in the answer of a run stopped there. */
  readonly maxSteps: number;
  readonly metering?: GatewayMetering | undefined;
  readonly catalog?: CatalogService | undefined;
  readonly licenceProfile?: OrganisationProfile | undefined;
}

// Headers go out with the first byte of a stream; a later step's rate-limit headers are dropped.
function headerSink(reply: FastifyReply): HeaderSink {
  return { header: (name, value) => (reply.raw.headersSent ? undefined : reply.header(name, value)) };
}

async function prepare(routes: GptRunRoutes, model: string, principal: Principal, reply: FastifyReply): Promise<PreparedGptRun> {
  const { catalog } = routes;
  const check: BaseModelCheck | undefined = catalog === undefined ? undefined : (gpt) => applyCatalogueVerdict(catalog, routes.licenceProfile, gpt.baseModel, reply, gpt.slug);
  const prepared = await routes.runner.prepare(model, principal, check);
  reply.header('x-modelmart-gpt', `${prepared.gpt.slug}@${prepared.gpt.version}`);
  reply.header('x-modelmart-target', prepared.gpt.baseModel);
  return prepared;
}

function runContext(routes: GptRunRoutes, request: FastifyRequest, reply: FastifyReply, principal: Principal, signal: AbortSignal): GptRunContext {
  const sink = headerSink(reply);
  return {
    requestId: request.id,
    principal,
    signal,
    admitStep: (step) =>
      admitCall(
        routes.metering,
        { requestId: step.requestId, principal, plan: step.plan, promptTokenBound: step.promptTokenBound, maxOutputTokens: step.maxOutputTokens, gptId: step.gptId, revenueShare: step.revenueShare },
        sink,
      ),
  };
}

export async function handleGptChat(routes: GptRunRoutes, request: FastifyRequest, reply: FastifyReply, body: ChatCompletionRequest): Promise<unknown> {
  const principal = requirePrincipal(request);
  const prepared = await prepare(routes, body.model, principal, reply);
  const context = runContext(routes, request, reply, principal, clientAbortSignal(reply));
  if (body.stream !== true) return chatCompletionOf(prepared, await routes.runner.run(prepared, body, context), routes.maxSteps);

  const events = routes.runner.stream(prepared, body, context);
  // Failures before the first event (admission, the first model call) are ordinary HTTP errors.
  let next = await events.next();
  const writer = new EventStreamWriter(reply);
  const includeUsage = body.stream_options?.include_usage === true;
  try {
    while (next.done !== true) {
      if (writer.closed) {
        await events.return(undefined);
        break;
      }
      const event = next.value;
      let pending: Promise<void> | undefined;
      if (event.type === 'chunk') pending = writer.write(encodeSseData(event.chunk));
      else if (event.type === 'finish') {
        for (const chunk of closingChunks(prepared, event.finish, routes.maxSteps)) pending = writer.write(encodeSseData(chunk));
        if (includeUsage) pending = writer.write(encodeSseData(usageChunkOf(event.finish)));
      }
      if (pending !== undefined) await pending;
      next = await events.next();
    }
    writer.write(sseDone);
    writer.end();
  } catch (error) {
    const failure = toModelmartError(error);
    if (failure.status >= 500) request.log.warn({ err: error }, 'GPT stream ended by a failure');
    writer.fail(failure);
  }
  return reply;
}

/** The finish of a streamed run as the chunk parts the Responses service translates. */
function finishParts(finish: GptRunFinish): StreamPart[] {
  const { identity } = finish;
  const base = { id: identity.id, object: 'chat.completion.chunk' as const, created: identity.created, model: identity.model };
  const parts: StreamPart[] = [];
  if (finish.callerToolCalls.length > 0) {
    const toolCalls = finish.callerToolCalls.map((call, index) => ({ index, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }));
    const chunk: ChatCompletionChunk = { ...base, choices: [{ index: 0, delta: { tool_calls: toolCalls }, logprobs: null, finish_reason: null }] };
    parts.push({ type: 'chunk', chunk });
  }
  const finishReason = finish.finishReason === 'max_steps' ? 'stop' : finish.finishReason;
  parts.push({ type: 'chunk', chunk: { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }] } });
  parts.push({ type: 'usage', usage: finish.usage });
  return parts;
}

export async function handleGptResponses(routes: GptRunRoutes, responses: ResponsesService, request: FastifyRequest, reply: FastifyReply, body: ResponsesRequest): Promise<unknown> {
  const principal = requirePrincipal(request);
  const prepared = await prepare(routes, body.model, principal, reply);
  const signal = clientAbortSignal(reply);
  let finished: GptRunFinish | undefined;
  const decorator = new GptResponseStreamDecorator(prepared, routes.maxSteps);
  const result = await responses.create(body, {
    keyId: principal.keyId,
    signal,
    executeChat: async (chatRequest, stepSignal) => {
      finished = await routes.runner.run(prepared, chatRequest, runContext(routes, request, reply, principal, stepSignal));
      return asServiceCompletion(chatCompletionOf(prepared, finished, routes.maxSteps));
    },
    executeStreamChat: (chatRequest, stepSignal) => ({
      async *[Symbol.asyncIterator]() {
        for await (const event of routes.runner.stream(prepared, chatRequest, runContext(routes, request, reply, principal, stepSignal))) {
          if (event.type === 'chunk') yield { type: 'chunk', chunk: event.chunk };
          else if (event.type === 'tool_step') decorator.addToolStep(event.calls);
          else {
            decorator.finished(event.finish);
            yield* finishParts(event.finish);
          }
        }
      },
    }),
  });
  if (result.kind === 'response') {
    if (finished === undefined) throw new Error('the GPT run did not finish');
    return gptResponse(result.response, prepared, finished, routes.maxSteps);
  }

  const writer = new EventStreamWriter(reply);
  try {
    for await (const event of result.events) {
      if (writer.closed) break;
      for (const decorated of decorator.decorate(event)) await writer.write(encodeSseEvent(String(decorated.type), decorated));
    }
    writer.end();
  } catch (error) {
    writer.fail(toModelmartError(error));
  }
  return reply;
}
