// /admin/v1/evaluations: start a run (the server works on it in the background, with bounded
// concurrency), list runs, follow one's progress (done/total, running score, spend), cancel it.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../../api/index.js';
import { invalidRequest } from '../../core/index.js';
import { listRunPage, runRequestSchema, type EvaluationBackgroundRunner } from '../../evals/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { registerAdminEvaluationProgressRoutes } from './admin-evaluation-progress-routes.js';

const startRequestSchema = runRequestSchema.extend({ concurrency: z.number().int().min(1).max(256).default(8) }).strict();

const listQuerySchema = z
  .object({
    model: z.string().min(1).optional(),
    status: z.string().min(1).optional(),
    limit: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
    cursor: z.string().min(1).optional(),
  })
  .strict();

export function registerAdminEvaluationRoutes(app: FastifyInstance, runner: EvaluationBackgroundRunner): void {
  const { evaluations } = runner;

  app.post('/admin/v1/evaluations', async (request, reply) => {
    const { concurrency, ...body } = parseBody(startRequestSchema, request.body);
    const { run, estimate } = await evaluations.createRun(body, requirePrincipal(request).keyId);
    runner.enqueue(run.id, concurrency);
    const presentedEstimate = {
      items: estimate.items,
      prompt_tokens: estimate.promptTokens,
      completion_tokens: estimate.completionTokens,
      maximum_completion_tokens: estimate.maximumCompletionTokens,
      cost: estimate.cost / 1_000_000,
      maximum_cost: estimate.maximumCost / 1_000_000,
      currency: estimate.currency,
    };
    return reply.code(202).send({ ...run, estimate: presentedEstimate, concurrency: Math.min(concurrency, runner.maximumConcurrency) });
  });

  app.get<{ Querystring: Record<string, unknown> }>('/admin/v1/evaluations', async (request) => {
    const query = listQuerySchema.safeParse(request.query);
    if (!query.success) {
      const issue = query.error.issues[0];
      const param = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? null) : (issue?.path.map(String).join('.') ?? null);
      throw invalidRequest(`Invalid query parameter '${param ?? ''}': ${issue?.message ?? 'invalid'}`, param, 'invalid_filter');
    }
    const { model, status, limit, cursor } = query.data;
    return listRunPage(evaluations, { ...(model === undefined ? {} : { model }), ...(status === undefined ? {} : { status }), ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) });
  });

  app.get<{ Params: { id: string } }>('/admin/v1/evaluations/:id', async (request) => evaluations.get(request.params.id));

  app.post<{ Params: { id: string } }>('/admin/v1/evaluations/:id/cancel', async (request) => {
    const cancelled = await evaluations.cancel(request.params.id);
    runner.abort(request.params.id);
    return cancelled;
  });

  registerAdminEvaluationProgressRoutes(app, runner);
}
