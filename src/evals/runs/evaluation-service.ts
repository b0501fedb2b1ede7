// The evaluation service: creates runs (items built once, stored as jobs), works on them in this
// process (the CLI, a worker, or the server in the background), resumes them, and reads them back.
import { hostname } from 'node:os';
import { zodErrorToModelmartError } from '../../api/index.js';
import type { CatalogService } from '../../catalog/index.js';
import { conflict, invalidRequest, newId, notFound, systemClock, type Clock, type Logger } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { resolveDataDirectory } from '../benchmarks/dataset-files.js';
import type { SandboxOptions } from '../sandbox/python-sandbox.js';
import { parseBenchmarkName } from '../score/benchmark-scorer.js';
import { estimateCost, type CostEstimate } from './evaluation-cost-estimate.js';
import { finalizeRunIfDone } from './evaluation-finalizer.js';
import type { EvaluationGateway } from './evaluation-gateway.js';
import { buildRunItems, defaultMaxTokens, defaultTemperature } from './evaluation-item-builder.js';
import { EvaluationItemProcessor, type EvaluationHooks, type ItemEvent } from './evaluation-item-processor.js';
import { findCatalogModel } from './evaluation-pricing.js';
import { EvaluationRepository, type RunRow } from './evaluation-repository.js';
import { runParametersSchema, runRequestSchema, runStatusSchema, type RunParameters, type RunRequestInput, type RunStatus } from './evaluation-run-schema.js';
import { presentRun, runningScore, type RunView } from './evaluation-run-view.js';

export interface EvaluationServiceOptions {
  readonly database: Database;
  readonly gateway: EvaluationGateway;
  readonly catalog?: CatalogService | undefined;
  readonly clock?: Clock;
  /** Around every upstream call: where billing and limits attach. */
  readonly hooks?: EvaluationHooks | undefined;
  readonly sandbox?: SandboxOptions | undefined;
  readonly logger?: Pick<Logger, 'warn' | 'error'> | undefined;
  /** A claim older than this is taken to belong to a dead worker and is claimed again. */
  readonly leaseMilliseconds?: number;
  /** Replaces the published dataset checksums (tests reading small hand-written files). */
  readonly datasetChecksums?: Readonly<Record<string, string>>;
}

export interface WorkOptions {
  readonly concurrency: number;
  readonly workerId?: string;
  readonly onItem?: (event: ItemEvent) => void;
  readonly signal?: AbortSignal;
  /** Where a worker on another machine finds the data for the final scoring. */
  readonly dataDirectory?: string;
}

/** `<host>:<pid>:<random>`, so a claim left by a dead process on this host can be recognised. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${newId('w').slice(2, 10)}`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class EvaluationService {
  readonly repository: EvaluationRepository;
  private readonly clock: Clock;

  constructor(private readonly options: EvaluationServiceOptions) {
    this.repository = new EvaluationRepository(options.database);
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Creates a queued run with all its items. Checks the model routes and the data is there
   * before anything is stored; returns the cost estimate of the whole run.
   */
  async createRun(input: RunRequestInput, createdBy: string | null = null): Promise<{ readonly run: RunView; readonly estimate: CostEstimate }> {
    // The benchmark first, so a typo gets the message that lists the known ones.
    if (typeof input.benchmark === 'string') parseBenchmarkName(input.benchmark);
    const parsed = runRequestSchema.safeParse(input);
    if (!parsed.success) throw zodErrorToModelmartError(parsed.error);
    const request = parsed.data;
    if (request.samples > 1 && request.benchmark !== 'humaneval') {
      throw invalidRequest(`--samples above 1 is for pass@k on humaneval; ${request.benchmark} is scored on one greedy answer per item.`, 'samples', 'invalid_samples');
    }
    if (request.subjects !== undefined && request.benchmark !== 'mmlu') throw invalidRequest('subjects apply to mmlu only.', 'subjects', 'invalid_subjects');
    this.options.gateway.check(request.model);
    const parameters: RunParameters = {
      api: request.api,
      limit: request.limit ?? null,
      subjects: request.subjects ?? null,
      samples: request.samples,
      seed: request.seed,
      temperature: request.temperature ?? defaultTemperature(request.samples),
      max_tokens: request.max_tokens ?? defaultMaxTokens(request.benchmark),
      data_directory: resolveDataDirectory(request.data_directory),
    };
    const items = buildRunItems(request.benchmark, request.setting, parameters, this.options.datasetChecksums);
    const card = await findCatalogModel(this.options.catalog, request.model);
    const now = this.clock.now().toISOString();
    const row: RunRow = {
      id: newId('evalrun'),
      benchmark: request.benchmark,
      setting: request.setting,
      model: request.model,
      parameters: JSON.stringify(parameters),
      status: 'queued',
      total_items: items.length,
      done_items: 0,
      failed_items: 0,
      metrics: null,
      cost: 0,
      cost_currency: card?.price?.currency ?? null,
      catalog_model_id: card?.id ?? null,
      finalized_by: null,
      error: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      created_by: createdBy,
    };
    await this.repository.insertRun(row, items);
    return { run: await this.get(row.id), estimate: estimateCost(request.benchmark, items, card?.price ?? null) };
  }

  private async requireRun(id: string): Promise<RunRow> {
    const run = await this.repository.findRun(id);
    if (run === undefined) throw notFound(`No evaluation run with id '${id}'.`, 'evaluation_run_not_found', 'id');
    return run;
  }

  /**
   * Makes a stopped run workable again: failed items are queued again, and claims held by dead
   * processes on this host are handed back at once (those of other hosts when their lease ends).
   */
  async resume(id: string): Promise<RunView> {
    const run = await this.requireRun(id);
    if (run.status === 'completed') throw conflict(`Evaluation run '${id}' is already completed; start a new run (answers already given come from the cache).`, 'evaluation_run_completed');
    await this.repository.requeueFailed(id);
    const host = hostname();
    const dead = (await this.repository.claimHolders(id)).filter((holder) => {
      const [holderHost, pid] = holder.split(':');
      return holderHost === host && pid !== undefined && !processIsAlive(Number(pid));
    });
    await this.repository.releaseClaims(id, dead);
    await this.repository.updateRun(id, { status: 'running', finalized_by: null, error: null, finished_at: null });
    return this.get(id);
  }

  /** Works on a run until no item is left to claim, then completes it if no one else is still working. */
  async work(id: string, options: WorkOptions): Promise<RunView> {
    const run = await this.requireRun(id);
    if (run.status === 'cancelled' || run.status === 'completed' || run.status === 'failed') return this.get(id);
    await this.repository.transitionRun(id, ['queued'], { status: 'running', started_at: this.clock.now().toISOString() });
    const card = await findCatalogModel(this.options.catalog, run.model);
    const workerId = options.workerId ?? newWorkerId();
    const processor = new EvaluationItemProcessor({
      repository: this.repository,
      gateway: this.options.gateway,
      runId: id,
      model: run.model,
      benchmark: runRequestSchema.shape.benchmark.parse(run.benchmark),
      workerId,
      concurrency: options.concurrency,
      leaseMilliseconds: this.options.leaseMilliseconds ?? 5 * 60_000,
      price: card?.price ?? null,
      clock: this.clock,
      hooks: this.options.hooks,
      onItem: options.onItem,
      signal: options.signal,
      shouldContinue: async () => (await this.repository.findRun(id))?.status === 'running',
    });
    await processor.run();
    if (options.signal?.aborted !== true) {
      await finalizeRunIfDone(id, workerId, {
        repository: this.repository,
        clock: this.clock,
        catalog: this.options.catalog,
        sandbox: this.options.sandbox,
        dataDirectory: options.dataDirectory,
        logger: this.options.logger,
        checksums: this.options.datasetChecksums,
      });
    }
    return this.get(id);
  }

  async get(id: string): Promise<RunView> {
    const run = await this.requireRun(id);
    const [counts, scores] = await Promise.all([this.repository.counts(id), this.repository.scoredItems(id)]);
    return presentRun(run, counts, runningScore(scores));
  }

  async list(query: { readonly model?: string; readonly status?: string; readonly limit?: number }): Promise<RunView[]> {
    let status: RunStatus | undefined;
    if (query.status !== undefined) {
      const parsed = runStatusSchema.safeParse(query.status);
      if (!parsed.success) throw invalidRequest(`Unknown status '${query.status}'; expected one of ${runStatusSchema.options.join(', ')}.`, 'status', 'invalid_status');
      status = parsed.data;
    }
    const runs = await this.repository.listRuns({ ...(query.model === undefined ? {} : { model: query.model }), ...(status === undefined ? {} : { status }), limit: query.limit ?? 50 });
    return Promise.all(runs.map(async (run) => presentRun(run, await this.repository.counts(run.id), runningScore(await this.repository.scoredItems(run.id)))));
  }

  /** Runs that still have work: queued or running, newest first. */
  async workableRunIds(): Promise<string[]> {
    const runs = [...(await this.repository.listRuns({ status: 'running', limit: 100 })), ...(await this.repository.listRuns({ status: 'queued', limit: 100 }))];
    return runs.map((run) => run.id);
  }

  async cancel(id: string): Promise<RunView> {
    const moved = await this.repository.transitionRun(id, ['queued', 'running'], { status: 'cancelled', finished_at: this.clock.now().toISOString() });
    if (!moved) {
      const run = await this.requireRun(id);
      throw conflict(`Evaluation run '${id}' is ${run.status}; only a queued or running run can be cancelled.`, 'evaluation_run_not_cancellable');
    }
    return this.get(id);
  }

  /** The stored parameters of a run (for the CLI's summary). */
  async parameters(id: string): Promise<RunParameters> {
    return runParametersSchema.parse(JSON.parse((await this.requireRun(id)).parameters));
  }

  /** Completed runs of a model (its gateway name or catalogue id), newest first. */
  async completedRuns(model: string): Promise<RunRow[]> {
    const runs = await this.repository.listRuns({ status: 'completed', limit: 1000 });
    return runs.filter((run) => run.model === model || run.catalog_model_id === model);
  }
}
