// A run's live progress as Server-Sent Events, and its items page by page. Progress is read
// from the database rather than from this process's workers: a run may be worked on by `eval
// worker` processes on other machines, and the database is what they all write to.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalidRequest, toModelmartError } from '../../core/index.js';
import { listItemPage, type EvaluationBackgroundRunner, type RunView } from '../../evals/index.js';
import { EventStreamWriter } from '../event-stream-writer.js';

export interface EvaluationProgressOptions {
  /** How often the database is read for a change while a run works. */
  readonly pollMilliseconds?: number;
  /** A comment line this often when nothing changed, so proxies keep the stream open. */
  readonly heartbeatMilliseconds?: number;
}

const finishedStatuses: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

const itemsQuerySchema = z
  .object({
    limit: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
    cursor: z.string().min(1).optional(),
  })
  .strict();

function progressEvent(run: RunView): string {
  return `event: ${finishedStatuses.has(run.status) ? 'done' : 'progress'}\ndata: ${JSON.stringify(run)}\n\n`;
}

export function registerAdminEvaluationProgressRoutes(app: FastifyInstance, runner: EvaluationBackgroundRunner, options: EvaluationProgressOptions = {}): void {
  const { evaluations } = runner;
  const pollMilliseconds = options.pollMilliseconds ?? 500;
  const heartbeatMilliseconds = options.heartbeatMilliseconds ?? 15_000;
  // Open streams, each with its way to stop: a server shutting down ends them rather than
  // waiting for runs that may take hours (the readers fall back to asking again).
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const stop of [...openStreams]) stop();
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/admin/v1/evaluations/:id/items', async (request) => {
    const query = itemsQuerySchema.safeParse(request.query);
    if (!query.success) {
      const issue = query.error.issues[0];
      const param = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? null) : (issue?.path.map(String).join('.') ?? null);
      throw invalidRequest(`Invalid query parameter '${param ?? ''}': ${issue?.message ?? 'invalid'}`, param, 'invalid_filter');
    }
    const { limit, cursor } = query.data;
    return listItemPage(evaluations, request.params.id, { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) });
  });

  app.get<{ Params: { id: string } }>('/admin/v1/evaluations/:id/events', async (request, reply) => {
    // An unknown run is a plain 404, before the stream starts.
    let run = await evaluations.get(request.params.id);
    const writer = new EventStreamWriter(reply);
    let stopped = false;
    let wake: (() => void) | undefined;
    const stop = () => {
      stopped = true;
      wake?.();
    };
    openStreams.add(stop);
    reply.raw.once('close', stop);
    let lastSent = progressEvent(run);
    await writer.write(lastSent);
    let quietSince = Date.now();
    try {
      while (!stopped && !finishedStatuses.has(run.status)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMilliseconds);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (stopped) break;
        run = await evaluations.get(run.id);
        const event = progressEvent(run);
        if (event !== lastSent) {
          lastSent = event;
          quietSince = Date.now();
          await writer.write(event);
        } else if (Date.now() - quietSince >= heartbeatMilliseconds) {
          quietSince = Date.now();
          await writer.write(': still working\n\n');
        }
      }
      writer.end();
    } catch (error) {
      writer.write(`event: error\ndata: ${JSON.stringify(toModelmartError(error).toBody())}\n\n`);
      writer.end();
    } finally {
      openStreams.delete(stop);
    }
  });
}
