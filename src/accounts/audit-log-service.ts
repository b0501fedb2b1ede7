// The audit log: every admin change recorded once with who made it, what it touched and the
// target before and after (secrets redacted), read back in filtered pages, newest first.
import { z } from 'zod';
import { invalidRequest, newSequentialId, systemClock, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { redactSecrets } from './audit-log-redaction.js';
import { AuditLogRepository, type AuditLogRow } from './audit-log-repository.js';

/** `<target>.<verb>` in lower case, dotted: key.create, route.update, model.price.add. */
export const auditActionSchema = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, { error: 'expected a dotted lower-case action such as key.create' });

export const auditEntryInputSchema = z.object({
  organisationId: z.string().min(1).nullable().optional(),
  actorKeyId: z.string().min(1),
  actorUserId: z.string().min(1).nullable().optional(),
  action: auditActionSchema,
  targetType: z.string().min(1).max(100),
  targetId: z.string().min(1).max(500),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  requestId: z.string().min(1).nullable().optional(),
});
export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;

export const auditLogEntrySchema = z.object({
  object: z.literal('audit_log_entry'),
  id: z.string(),
  organisation_id: z.string().nullable(),
  actor_key_id: z.string(),
  actor_user_id: z.string().nullable(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  request_id: z.string().nullable(),
  created_at: z.string(),
});
export type AuditLogEntry = z.infer<typeof auditLogEntrySchema>;

export const auditLogFilterSchema = z.object({
  organisationId: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  /** An exact action, or a prefix written with a trailing `*` (`key.*`). */
  action: z.string().regex(/^[a-z0-9_.]+\*?$/, { error: 'expected an action such as key.create, or a prefix such as key.*' }).optional(),
  targetType: z.string().min(1).optional(),
  targetId: z.string().min(1).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  cursor: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditLogFilter = z.input<typeof auditLogFilterSchema>;

export interface AuditLogPage {
  readonly data: readonly AuditLogEntry[];
  readonly hasMore: boolean;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const cursorSchema = z.tuple([z.string().min(1), z.string().min(1)]);

function encodeCursor(row: AuditLogRow): string {
  return Buffer.from(JSON.stringify([row.created_at, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw invalidRequest('Invalid cursor: pass the next_cursor of a previous page unchanged.', 'cursor', 'invalid_cursor');
  }
}

function toJson(value: unknown): string | null {
  const redacted = redactSecrets(value);
  return redacted === undefined || redacted === null ? null : JSON.stringify(redacted);
}

function toEntry(row: AuditLogRow): AuditLogEntry {
  return {
    object: 'audit_log_entry',
    id: row.id,
    organisation_id: row.organisation_id,
    actor_key_id: row.actor_key_id,
    actor_user_id: row.actor_user_id,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    request_id: row.request_id,
    created_at: row.created_at,
  };
}

export class AuditLog {
  private readonly repository: AuditLogRepository;

  constructor(
    database: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.repository = new AuditLogRepository(database.kysely);
  }

  /** Appends one entry; secrets in `before` and `after` are redacted before anything is stored. */
  async record(input: AuditEntryInput): Promise<AuditLogEntry> {
    const entry = auditEntryInputSchema.parse(input);
    const row: AuditLogRow = {
      // Ids that grow with each entry of this process: entries of one millisecond list in the order they were made.
      id: newSequentialId('audit'),
      organisation_id: entry.organisationId ?? null,
      actor_key_id: entry.actorKeyId,
      actor_user_id: entry.actorUserId ?? null,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      before: toJson(entry.before),
      after: toJson(entry.after),
      request_id: entry.requestId ?? null,
      created_at: this.clock.now().toISOString(),
    };
    await this.repository.insert(row);
    return toEntry(row);
  }

  /** One page, newest first; throws 400 naming the param for a bad range or cursor. */
  async list(input: AuditLogFilter = {}): Promise<AuditLogPage> {
    const filter = auditLogFilterSchema.parse(input);
    if (filter.from !== undefined && filter.to !== undefined && filter.from.getTime() > filter.to.getTime()) {
      throw invalidRequest(`'from' (${filter.from.toISOString()}) is after 'to' (${filter.to.toISOString()}).`, 'from', 'invalid_time_range');
    }
    const prefix = filter.action?.endsWith('*') === true;
    const rows = await this.repository.list({
      organisationId: filter.organisationId,
      actor: filter.actor,
      action: prefix ? filter.action?.slice(0, -1) : filter.action,
      actionIsPrefix: prefix,
      targetType: filter.targetType,
      targetId: filter.targetId,
      from: filter.from?.toISOString(),
      to: filter.to?.toISOString(),
      after: filter.cursor === undefined ? undefined : decodeCursor(filter.cursor),
      // One row more than asked tells whether another page follows.
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const hasMore = rows.length > filter.limit;
    const last = page[page.length - 1];
    return { data: page.map(toEntry), hasMore, nextCursor: hasMore && last !== undefined ? encodeCursor(last) : null };
  }
}
