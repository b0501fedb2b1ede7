// The audit log in the database: append and read pages newest first. There is deliberately no
// update or delete: the log is append-only.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DatabaseSchema } from '../storage/index.js';

/** A stored row, as the table declares it (src/storage/tables/security-tables.ts). */
export type AuditLogRow = Selectable<DatabaseSchema['audit_log']>;

export interface AuditLogQuery {
  readonly organisationId?: string | undefined;
  /** A key id or a user id. */
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  /** Match every action that starts with `action` (written `key.*` by callers). */
  readonly actionIsPrefix?: boolean;
  readonly targetType?: string | undefined;
  readonly targetId?: string | undefined;
  /** Inclusive lower and exclusive upper bound, ISO-8601 UTC. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The last row of the previous page. */
  readonly after?: { readonly createdAt: string; readonly id: string } | undefined;
  readonly limit: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export class AuditLogRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async insert(row: AuditLogRow): Promise<void> {
    await this.kysely.insertInto('audit_log').values(row).execute();
  }

  async list(query: AuditLogQuery): Promise<AuditLogRow[]> {
    let select = this.kysely.selectFrom('audit_log').selectAll();
    if (query.organisationId !== undefined) select = select.where('organisation_id', '=', query.organisationId);
    if (query.actor !== undefined) {
      const actor = query.actor;
      select = select.where((builder) => builder.or([builder('actor_key_id', '=', actor), builder('actor_user_id', '=', actor)]));
    }
    if (query.action !== undefined) {
      select = query.actionIsPrefix === true ? select.where(sql<boolean>`action like ${`${escapeLike(query.action)}%`} escape '\\'`) : select.where('action', '=', query.action);
    }
    if (query.targetType !== undefined) select = select.where('target_type', '=', query.targetType);
    if (query.targetId !== undefined) select = select.where('target_id', '=', query.targetId);
    if (query.from !== undefined) select = select.where('created_at', '>=', query.from);
    if (query.to !== undefined) select = select.where('created_at', '<', query.to);
    const after = query.after;
    if (after !== undefined) {
      select = select.where((builder) =>
        builder.or([builder('created_at', '<', after.createdAt), builder.and([builder('created_at', '=', after.createdAt), builder('id', '<', after.id)])]),
      );
    }
    return select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  }
}
