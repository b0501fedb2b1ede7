// Polls the due URL and feed sources, each on its own interval. Several servers may share one
// database: a source is claimed with a lease (a conditional update only one of them wins), so
// no two poll it at once, and its next poll time moves on before the lease is let go, so it is
// polled once per interval whoever holds it. A lease left by a crashed server expires.
import { hostname } from 'node:os';
import { newId, systemClock, type Clock, type Logger } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import type { KnowledgeSourceService } from './knowledge-source-service.js';

export interface KnowledgeSourcePollerOptions {
  readonly database: Database;
  readonly sources: KnowledgeSourceService;
  /** How often due sources are looked for; default 5 s. */
  readonly tickMilliseconds?: number | undefined;
  /** How long a claim holds before another poller may take the source over; default 300 s. */
  readonly leaseSeconds?: number | undefined;
  /** Sources polled at once by this poller; default 4. */
  readonly concurrency?: number | undefined;
  /** Names this poller in leases; default host name, process id and a random part. */
  readonly owner?: string | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
}

export class KnowledgeSourcePoller {
  readonly owner: string;
  private readonly database: Database;
  private readonly sources: KnowledgeSourceService;
  private readonly tickMilliseconds: number;
  private readonly leaseSeconds: number;
  private readonly concurrency: number;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(options: KnowledgeSourcePollerOptions) {
    this.database = options.database;
    this.sources = options.sources;
    this.tickMilliseconds = options.tickMilliseconds ?? 5_000;
    this.leaseSeconds = options.leaseSeconds ?? 300;
    this.concurrency = options.concurrency ?? 4;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${newId('poller')}`;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the polls in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollDueSources()
        .then(() => undefined)
        .catch((error: unknown) => this.logger?.error({ err: error }, 'knowledge source poller tick failed'))
        .finally(() => this.schedule(this.tickMilliseconds));
    }, delay);
    this.timer.unref();
  }

  /** One round: claims up to `concurrency` due sources, polls them, and returns their ids. */
  async pollDueSources(): Promise<string[]> {
    const now = this.clock.now();
    const nowText = now.toISOString();
    const due = await this.database.kysely
      .selectFrom('gpt_knowledge_sources')
      .select('id')
      .where('kind', 'in', ['url', 'feed'])
      .where('next_poll_at', '<=', nowText)
      .where((expression) => expression.or([expression('lease_expires_at', 'is', null), expression('lease_expires_at', '<', nowText)]))
      .orderBy('next_poll_at')
      .limit(this.concurrency * 2)
      .execute();
    const claimed: string[] = [];
    for (const { id } of due) {
      if (claimed.length >= this.concurrency || this.stopped) break;
      if (await this.claim(id, now)) claimed.push(id);
    }
    // One source's failure (deleted while polled, a database hiccup) must not hide the others'.
    const outcomes = await Promise.allSettled(claimed.map((id) => this.pollClaimed(id)));
    for (const outcome of outcomes) if (outcome.status === 'rejected') this.logger?.warn({ err: outcome.reason }, 'knowledge source poll did not finish');
    return claimed;
  }

  private async claim(sourceId: string, now: Date): Promise<boolean> {
    const nowText = now.toISOString();
    const result = await this.database.kysely
      .updateTable('gpt_knowledge_sources')
      .set({ lease_owner: this.owner, lease_expires_at: new Date(now.getTime() + this.leaseSeconds * 1000).toISOString() })
      .where('id', '=', sourceId)
      .where('next_poll_at', '<=', nowText)
      .where((expression) => expression.or([expression('lease_expires_at', 'is', null), expression('lease_expires_at', '<', nowText)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async pollClaimed(sourceId: string): Promise<void> {
    try {
      await this.sources.pollSource(sourceId);
    } finally {
      const row = await this.database.kysely.selectFrom('gpt_knowledge_sources').select('poll_interval_seconds').where('id', '=', sourceId).executeTakeFirst();
      const interval = Number(row?.poll_interval_seconds ?? 900);
      // The interval counts from the end of this poll; the lease is let go in the same update.
      await this.database.kysely
        .updateTable('gpt_knowledge_sources')
        .set({ next_poll_at: new Date(this.clock.now().getTime() + interval * 1000).toISOString(), lease_owner: null, lease_expires_at: null })
        .where('id', '=', sourceId)
        .where('lease_owner', '=', this.owner)
        .execute();
    }
  }
}
