// Live sources of a GPT's knowledge, the way a news reader keeps up: a URL re-fetched on a
// schedule (its document replaced when the content changes), an RSS/Atom feed whose new items
// become documents with their own dates, and a webhook that pushes documents with a secret.
// Every fetch goes through the SSRF-safe client. Polling itself (when, by whom) is the poller's.
import { createHash, timingSafeEqual } from 'node:crypto';
import { basename } from 'node:path';
import { z } from 'zod';
import { invalidApiKey, invalidRequest, ModelmartError, newId, notFound, randomToken, systemClock, toModelmartError, type Clock, type Logger } from '../../core/index.js';
import type { Database, DatabaseSchema } from '../../storage/index.js';
import type { SafeHttpClient } from '../gpt-contracts.js';
import { extractDocumentText, knowledgeFileKind } from './knowledge-extraction.js';
import { parseFeed } from './knowledge-feed-parsing.js';
import { contentHash, type KnowledgeConfig, type KnowledgeDocumentView, type KnowledgeService } from './knowledge-service.js';

export type KnowledgeSourceRow = DatabaseSchema['gpt_knowledge_sources'];

export const createKnowledgeSourceInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['url', 'feed']),
    url: z.url({ protocol: /^https?$/u }),
    title: z.string().trim().min(1).max(200).optional(),
    poll_interval_seconds: z.number().int().positive().max(7 * 24 * 3600).optional(),
  }),
  z.strictObject({ kind: z.literal('webhook'), title: z.string().trim().min(1).max(200).optional() }),
]);
export type CreateKnowledgeSourceInput = z.infer<typeof createKnowledgeSourceInputSchema>;

const pushedDocumentSchema = z.strictObject({
  title: z.string().trim().min(1).max(500),
  text: z.string().min(1),
  /** Where the document lives, cited as its source; the webhook source otherwise. */
  url: z.url().optional(),
  /** A key that identifies the document within the source: pushing it again replaces it. */
  id: z.string().min(1).max(500).optional(),
  published_at: z.iso.datetime({ offset: true }).optional(),
});
export const pushDocumentsInputSchema = z.union([z.strictObject({ documents: z.array(pushedDocumentSchema).min(1).max(100) }), pushedDocumentSchema]);
export type PushDocumentsInput = z.infer<typeof pushDocumentsInputSchema>;

export interface KnowledgeSourceView {
  readonly object: 'gpt.knowledge.source';
  readonly id: string;
  readonly gpt_id: string;
  readonly kind: string;
  readonly url: string | null;
  readonly title: string | null;
  readonly poll_interval_seconds: number | null;
  readonly status: string;
  readonly last_error: { readonly code: string | null; readonly message: string } | null;
  readonly last_polled_at: string | null;
  readonly next_poll_at: string | null;
  readonly created_at: string;
}

export interface KnowledgeSourceServiceOptions {
  readonly database: Database;
  readonly knowledge: KnowledgeService;
  readonly http: SafeHttpClient;
  readonly config: KnowledgeConfig;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** The shortest poll interval a source may ask for; 10 s unless a test needs less. */
  readonly minimumPollIntervalSeconds?: number | undefined;
}

export interface PollOutcome {
  readonly ok: boolean;
  readonly added: number;
  readonly error?: { readonly code: string; readonly message: string };
}

function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sourceView(row: KnowledgeSourceRow): KnowledgeSourceView {
  return {
    object: 'gpt.knowledge.source',
    id: row.id,
    gpt_id: row.gpt_id,
    kind: row.kind,
    url: row.url,
    title: row.title,
    poll_interval_seconds: row.poll_interval_seconds === null ? null : Number(row.poll_interval_seconds),
    status: row.status,
    last_error: row.last_error === null ? null : { code: row.last_error_code, message: row.last_error },
    last_polled_at: row.last_polled_at,
    next_poll_at: row.next_poll_at,
    created_at: row.created_at,
  };
}

export class KnowledgeSourceService {
  private readonly database: Database;
  private readonly knowledge: KnowledgeService;
  private readonly http: SafeHttpClient;
  private readonly config: KnowledgeConfig;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly minimumPollIntervalSeconds: number;

  constructor(options: KnowledgeSourceServiceOptions) {
    this.database = options.database;
    this.knowledge = options.knowledge;
    this.http = options.http;
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.minimumPollIntervalSeconds = options.minimumPollIntervalSeconds ?? 10;
  }

  /** Creates a source; a webhook's secret is in the answer this once and never again. */
  async createSource(gptId: string, input: CreateKnowledgeSourceInput): Promise<KnowledgeSourceView & { readonly secret?: string }> {
    const now = this.clock.now().toISOString();
    const id = newId('ksrc');
    if (input.kind === 'webhook') {
      const secret = `whsec_${randomToken(24)}`;
      const row: KnowledgeSourceRow = { ...this.emptySource(id, gptId, now), kind: 'webhook', title: input.title ?? null, webhook_secret_hash: secretHash(secret) };
      await this.database.kysely.insertInto('gpt_knowledge_sources').values(row).execute();
      return { ...sourceView(row), secret };
    }
    const interval = input.poll_interval_seconds ?? this.config.defaultPollIntervalSeconds;
    if (interval < this.minimumPollIntervalSeconds) {
      throw invalidRequest(`poll_interval_seconds must be at least ${this.minimumPollIntervalSeconds}.`, 'poll_interval_seconds', 'invalid_poll_interval');
    }
    // The first poll is due at once, so a new source is searchable within one poller tick.
    const row: KnowledgeSourceRow = { ...this.emptySource(id, gptId, now), kind: input.kind, url: input.url, title: input.title ?? null, poll_interval_seconds: interval, next_poll_at: now };
    await this.database.kysely.insertInto('gpt_knowledge_sources').values(row).execute();
    return sourceView(row);
  }

  private emptySource(id: string, gptId: string, now: string): KnowledgeSourceRow {
    return {
      id,
      gpt_id: gptId,
      kind: 'url',
      url: null,
      title: null,
      poll_interval_seconds: null,
      webhook_secret_hash: null,
      status: 'active',
      last_error: null,
      last_error_code: null,
      last_polled_at: null,
      next_poll_at: null,
      lease_owner: null,
      lease_expires_at: null,
      created_at: now,
    };
  }

  async listSources(gptId: string): Promise<KnowledgeSourceView[]> {
    const rows = await this.database.kysely.selectFrom('gpt_knowledge_sources').selectAll().where('gpt_id', '=', gptId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(sourceView);
  }

  async getSource(gptId: string, sourceId: string): Promise<KnowledgeSourceView> {
    return sourceView(await this.sourceRow(gptId, sourceId));
  }

  private async sourceRow(gptId: string | null, sourceId: string): Promise<KnowledgeSourceRow> {
    let query = this.database.kysely.selectFrom('gpt_knowledge_sources').selectAll().where('id', '=', sourceId);
    if (gptId !== null) query = query.where('gpt_id', '=', gptId);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw notFound(`No knowledge source ${JSON.stringify(sourceId)} in this GPT.`, 'knowledge_source_not_found', 'id');
    return row;
  }

  /** Deletes a source and every document it brought. */
  async deleteSource(gptId: string, sourceId: string): Promise<KnowledgeSourceView> {
    const row = await this.sourceRow(gptId, sourceId);
    for (const document of await this.knowledge.listDocuments(gptId, { sourceId })) await this.knowledge.deleteDocument(gptId, document.id);
    await this.database.kysely.deleteFrom('gpt_knowledge_sources').where('id', '=', sourceId).execute();
    return sourceView(row);
  }

  /** A webhook push: the bearer token must be the source's secret (401 otherwise). */
  async pushDocuments(sourceId: string, bearerToken: string | undefined, input: PushDocumentsInput): Promise<KnowledgeDocumentView[]> {
    const row = await this.verifyWebhookSecret(sourceId, bearerToken);
    const documents = 'documents' in input ? input.documents : [input];
    const stored: KnowledgeDocumentView[] = [];
    for (const document of documents) {
      const itemKey = document.id ?? document.url ?? null;
      const replacing = itemKey === null ? [] : await this.documentIdsWithKey(row.id, itemKey);
      stored.push(
        await this.knowledge.ingest(
          row.gpt_id,
          {
            title: document.title,
            source: document.url ?? `webhook:${row.title ?? row.id}`,
            mimeType: 'text/plain',
            text: document.text,
            bytes: Buffer.byteLength(document.text),
            publishedAt: document.published_at === undefined ? null : new Date(document.published_at).toISOString(),
            sourceId: row.id,
            itemKey,
          },
          contentHash(document.text),
          replacing,
        ),
      );
    }
    await this.database.kysely.updateTable('gpt_knowledge_sources').set({ last_polled_at: this.clock.now().toISOString(), status: 'active', last_error: null, last_error_code: null }).where('id', '=', row.id).execute();
    return stored;
  }

  /** The webhook source whose secret the token is; 401 for an unknown source or a wrong or missing token alike. */
  async verifyWebhookSecret(sourceId: string, bearerToken: string | undefined): Promise<KnowledgeSourceRow> {
    const row = await this.database.kysely.selectFrom('gpt_knowledge_sources').selectAll().where('id', '=', sourceId).where('kind', '=', 'webhook').executeTakeFirst();
    const expected = Buffer.from(row?.webhook_secret_hash ?? secretHash(randomToken(24)), 'hex');
    const given = Buffer.from(secretHash(bearerToken ?? ''), 'hex');
    if (row === undefined || bearerToken === undefined || !timingSafeEqual(expected, given)) {
      throw invalidApiKey("Send the webhook source's secret as \"Authorization: Bearer <secret>\"; it was missing or wrong.");
    }
    return row;
  }

  private async documentIdsWithKey(sourceId: string, itemKey: string): Promise<string[]> {
    const rows = await this.database.kysely.selectFrom('gpt_knowledge_documents').select('id').where('source_id', '=', sourceId).where('item_key', '=', itemKey).execute();
    return rows.map((row) => row.id);
  }

  /** Fetches a URL or feed source once and indexes what is new; records the outcome on the source. */
  async pollSource(sourceId: string): Promise<PollOutcome> {
    const row = await this.sourceRow(null, sourceId);
    let outcome: PollOutcome;
    try {
      const added = row.kind === 'feed' ? await this.pollFeed(row) : row.kind === 'url' ? await this.pollUrl(row) : 0;
      outcome = { ok: true, added };
    } catch (error) {
      const failure = toModelmartError(error);
      const message = failure.status === 500 ? `the source could not be indexed: ${(error as Error).message}` : failure.message;
      outcome = { ok: false, added: 0, error: { code: failure.code ?? 'source_failed', message } };
      this.logger?.warn({ sourceId, code: outcome.error?.code, err: error }, 'knowledge source poll failed');
    }
    const now = this.clock.now().toISOString();
    await this.database.kysely
      .updateTable('gpt_knowledge_sources')
      .set({ last_polled_at: now, status: outcome.ok ? 'active' : 'failed', last_error: outcome.error?.message ?? null, last_error_code: outcome.error?.code ?? null })
      .where('id', '=', sourceId)
      .execute();
    return outcome;
  }

  private async fetch(url: string): Promise<{ body: Buffer; contentType: string | undefined; url: string }> {
    const response = await this.http.fetch(url, { headers: { accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml, text/html;q=0.8, */*;q=0.5', 'user-agent': 'Modelmart knowledge poller' }, maxResponseBytes: this.config.maxFileBytes });
    if (response.status < 200 || response.status >= 300) {
      throw new ModelmartError(502, `${url} answered with HTTP ${response.status}.`, { code: 'source_http_error', type: 'upstream_error' });
    }
    return { body: response.body, contentType: response.headers['content-type'], url: response.url };
  }

  private async pollFeed(row: KnowledgeSourceRow): Promise<number> {
    const url = row.url ?? '';
    const response = await this.fetch(url);
    const feed = parseFeed(url, response.body, response.contentType);
    if (row.title === null && feed.title !== null) await this.database.kysely.updateTable('gpt_knowledge_sources').set({ title: feed.title }).where('id', '=', row.id).execute();
    const known = new Set(
      (await this.database.kysely.selectFrom('gpt_knowledge_documents').select('item_key').where('source_id', '=', row.id).execute()).map((document) => document.item_key),
    );
    let added = 0;
    for (const item of feed.items) {
      if (known.has(item.key)) continue;
      known.add(item.key);
      await this.knowledge.ingest(
        row.gpt_id,
        { title: item.title, source: item.link ?? url, mimeType: 'text/html', text: item.text, bytes: Buffer.byteLength(item.text), publishedAt: item.publishedAt, sourceId: row.id, itemKey: item.key },
        contentHash(item.text),
      );
      added += 1;
    }
    return added;
  }

  private async pollUrl(row: KnowledgeSourceRow): Promise<number> {
    const url = row.url ?? '';
    const response = await this.fetch(url);
    const hash = contentHash(response.body);
    const existing = await this.database.kysely.selectFrom('gpt_knowledge_documents').select(['id', 'content_hash']).where('source_id', '=', row.id).execute();
    if (existing.length === 1 && existing[0]?.content_hash === hash) return 0;
    const name = basename(new URL(response.url).pathname) || 'index.html';
    // A page without an extension (most URLs) is read by its content type.
    const contentType = knowledgeFileKind(name) === undefined ? (response.contentType ?? 'text/html') : response.contentType;
    const extracted = await extractDocumentText(name, response.body, contentType);
    await this.knowledge.ingest(
      row.gpt_id,
      { title: row.title ?? extracted.title ?? url, source: url, mimeType: extracted.mimeType, text: extracted.text, bytes: response.body.length, publishedAt: null, sourceId: row.id, itemKey: url },
      hash,
      existing.map((document) => document.id),
    );
    return 1;
  }
}
