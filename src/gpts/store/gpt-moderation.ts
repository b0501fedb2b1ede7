// Reports and moderation: anyone who may see a GPT may report it; installation admins read the
// queue, hide a GPT (its open reports are resolved with the reason; it leaves every listing and
// calls to it answer 404), restore it, feature and unfeature it, or dismiss a report.
import { z } from 'zod';
import type { Actor, Principal } from '../../accounts/index.js';
import { newSequentialId, notFound, systemClock, type Clock } from '../../core/index.js';
import { decodeCursor, encodeCursor, findGptBySlug, findViewableGpt, gptNotFound, raterIdOf, requireInstallationAdminActor, type GptRow, type StoreKysely } from './gpt-store-access.js';
import { parseStoreQuery } from './gpt-store-query.js';
import { reportInputSchema, reportListQuerySchema, reportStatusSchema, type GptReportRecord, type ReportInput, type ReportListQuery, type StorePage } from './gpt-store-records.js';

const reportCursor = z.tuple([z.string(), z.string()]);

/** What moderation shows of a GPT, before and after a change (for the audit log). */
export interface ModeratedGpt {
  readonly object: 'store.gpt.moderation';
  readonly id: string;
  readonly slug: string;
  readonly organisation_id: string;
  readonly hidden: boolean;
  readonly hidden_at: string | null;
  readonly hidden_reason: string | null;
  readonly featured: boolean;
  readonly featured_at: string | null;
}

export interface ModerationOutcome {
  readonly before: ModeratedGpt;
  readonly after: ModeratedGpt;
  /** Open reports this change resolved (hiding resolves them). */
  readonly resolvedReports: number;
}

function toModerated(row: Pick<GptRow, 'id' | 'slug' | 'organisation_id' | 'hidden_at' | 'hidden_reason' | 'featured_at'>): ModeratedGpt {
  return {
    object: 'store.gpt.moderation',
    id: row.id,
    slug: row.slug,
    organisation_id: row.organisation_id,
    hidden: row.hidden_at !== null,
    hidden_at: row.hidden_at,
    hidden_reason: row.hidden_reason,
    featured: row.featured_at !== null,
    featured_at: row.featured_at,
  };
}

type ReportRow = { readonly gpt_slug: string | null } & Omit<GptReportRecord, 'object' | 'gpt_slug' | 'status'> & { readonly status: string };

function toReport(row: ReportRow): GptReportRecord {
  return { object: 'store.gpt.report', ...row, status: reportStatusSchema.parse(row.status) };
}

export class GptModeration {
  constructor(
    private readonly kysely: StoreKysely,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Files a report against a GPT the caller may see. */
  async report(slug: string, input: ReportInput | unknown, principal: Principal): Promise<GptReportRecord> {
    const report = parseStoreQuery(reportInputSchema, input);
    const gpt = await findViewableGpt(this.kysely, slug, principal);
    const row = {
      id: newSequentialId('gptreport'),
      gpt_id: gpt.id,
      reporter_id: raterIdOf(principal),
      reporter_organisation_id: principal.organisationId,
      reason: report.reason,
      details: report.details === undefined || report.details === null || report.details === '' ? null : report.details,
      status: 'open',
      resolution: null,
      created_at: this.clock.now().toISOString(),
      resolved_at: null,
      resolved_by: null,
    };
    await this.kysely.insertInto('gpt_reports').values(row).execute();
    return toReport({ ...row, gpt_slug: gpt.slug });
  }

  /** The moderation queue, oldest first (the longest waiting is handled first). */
  async reports(input: ReportListQuery | Record<string, unknown>, actor: Actor): Promise<StorePage<GptReportRecord>> {
    requireInstallationAdminActor(actor, 'read the GPT moderation queue');
    const query = parseStoreQuery(reportListQuerySchema, input);
    let statement = this.kysely
      .selectFrom('gpt_reports')
      .leftJoin('gpts', 'gpts.id', 'gpt_reports.gpt_id')
      .select([
        'gpt_reports.id',
        'gpt_reports.gpt_id',
        'gpts.slug as gpt_slug',
        'gpt_reports.reporter_id',
        'gpt_reports.reporter_organisation_id',
        'gpt_reports.reason',
        'gpt_reports.details',
        'gpt_reports.status',
        'gpt_reports.resolution',
        'gpt_reports.created_at',
        'gpt_reports.resolved_at',
        'gpt_reports.resolved_by',
      ]);
    if (query.status !== undefined) statement = statement.where('gpt_reports.status', '=', query.status);
    if (query.cursor !== undefined) {
      const [createdAt, id] = decodeCursor(query.cursor, reportCursor);
      statement = statement.where((eb) => eb.or([eb('gpt_reports.created_at', '>', createdAt), eb.and([eb('gpt_reports.created_at', '=', createdAt), eb('gpt_reports.id', '>', id)])]));
    }
    const rows = await statement.orderBy('gpt_reports.created_at').orderBy('gpt_reports.id').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    const hasMore = rows.length > query.limit;
    const last = page[page.length - 1];
    return { object: 'list', data: page.map(toReport), has_more: hasMore, next_cursor: hasMore && last !== undefined ? encodeCursor([last.created_at, last.id]) : null };
  }

  private async moderatedGpt(slug: string): Promise<GptRow> {
    const gpt = await findGptBySlug(this.kysely, slug);
    if (gpt === undefined) throw gptNotFound(slug);
    return gpt;
  }

  private async change(slug: string, actor: Actor, what: string, columns: Partial<Pick<GptRow, 'hidden_at' | 'hidden_reason' | 'featured_at'>>, resolution?: string): Promise<ModerationOutcome> {
    requireInstallationAdminActor(actor, what);
    const gpt = await this.moderatedGpt(slug);
    const now = this.clock.now().toISOString();
    let resolvedReports = 0;
    await this.kysely.transaction().execute(async (transaction) => {
      await transaction.updateTable('gpts').set(columns).where('id', '=', gpt.id).execute();
      if (resolution !== undefined) {
        const result = await transaction
          .updateTable('gpt_reports')
          .set({ status: 'resolved', resolution, resolved_at: now, resolved_by: actor.keyId })
          .where('gpt_id', '=', gpt.id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        resolvedReports = Number(result.numUpdatedRows);
      }
    });
    return { before: toModerated(gpt), after: toModerated({ ...gpt, ...columns }), resolvedReports };
  }

  /** Hides a GPT from the store and from callers, resolving its open reports with the reason. */
  async hide(slug: string, reason: string, actor: Actor): Promise<ModerationOutcome> {
    const now = this.clock.now().toISOString();
    return this.change(slug, actor, 'hide a GPT', { hidden_at: now, hidden_reason: reason }, `hidden: ${reason}`);
  }

  async restore(slug: string, actor: Actor): Promise<ModerationOutcome> {
    return this.change(slug, actor, 'restore a GPT', { hidden_at: null, hidden_reason: null });
  }

  async feature(slug: string, actor: Actor): Promise<ModerationOutcome> {
    const gpt = await this.moderatedGpt(slug);
    // Featuring again keeps the original date, so the shelf's order does not jump.
    return this.change(slug, actor, 'feature a GPT', { featured_at: gpt.featured_at ?? this.clock.now().toISOString() });
  }

  async unfeature(slug: string, actor: Actor): Promise<ModerationOutcome> {
    return this.change(slug, actor, 'unfeature a GPT', { featured_at: null });
  }

  /** Resolves one report without hiding its GPT. */
  async dismissReport(reportId: string, resolution: string, actor: Actor): Promise<GptReportRecord> {
    requireInstallationAdminActor(actor, 'resolve a GPT report');
    const now = this.clock.now().toISOString();
    // A report already resolved keeps its first resolution; it is answered as it stands.
    await this.kysely
      .updateTable('gpt_reports')
      .set({ status: 'resolved', resolution, resolved_at: now, resolved_by: actor.keyId })
      .where('id', '=', reportId)
      .where('status', '=', 'open')
      .execute();
    const row = await this.kysely
      .selectFrom('gpt_reports')
      .leftJoin('gpts', 'gpts.id', 'gpt_reports.gpt_id')
      .selectAll('gpt_reports')
      .select('gpts.slug as gpt_slug')
      .where('gpt_reports.id', '=', reportId)
      .executeTakeFirst();
    if (row === undefined) throw notFound(`No GPT report with id ${JSON.stringify(reportId)}.`, 'report_not_found', 'id');
    return toReport(row);
  }
}
