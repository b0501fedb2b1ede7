// API keys and server settings in the database (dialect-neutral Kysely queries).
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema } from '../storage/index.js';

export type ApiKeyRow = Selectable<DatabaseSchema['api_keys']>;

/** A key with what authentication needs from its project, organisation and membership, in one query. */
export type AuthenticationRow = ApiKeyRow & {
  readonly project_requests_per_minute: number | null;
  readonly project_tokens_per_minute: number | null;
  readonly project_archived_at: string | null;
  readonly organisation_requests_per_minute: number | null;
  readonly organisation_tokens_per_minute: number | null;
  readonly organisation_archived_at: string | null;
  readonly membership_role: string | null;
};

/** What a key's principal needs besides the key row: its project's and organisation's limits and state, and its user's role (joined by every authentication query). */
export const principalTenancyColumns = [
  'projects.requests_per_minute as project_requests_per_minute',
  'projects.tokens_per_minute as project_tokens_per_minute',
  'projects.archived_at as project_archived_at',
  'organisations.requests_per_minute as organisation_requests_per_minute',
  'organisations.tokens_per_minute as organisation_tokens_per_minute',
  'organisations.archived_at as organisation_archived_at',
  'memberships.role as membership_role',
] as const;

export class ApiKeyRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.kysely.insertInto('api_keys').values(row).execute();
  }

  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    return this.kysely.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  }

  async findForAuthentication(keyHash: string): Promise<AuthenticationRow | undefined> {
    return this.kysely
      .selectFrom('api_keys')
      .leftJoin('projects', 'projects.id', 'api_keys.project_id')
      .leftJoin('organisations', 'organisations.id', 'api_keys.organisation_id')
      .leftJoin('memberships', (join) => join.onRef('memberships.user_id', '=', 'api_keys.user_id').onRef('memberships.organisation_id', '=', 'api_keys.organisation_id'))
      .selectAll('api_keys')
      .select(principalTenancyColumns)
      .where('api_keys.key_hash', '=', keyHash)
      .executeTakeFirst();
  }

  /** The key only when it belongs to the organisation given (undefined: whichever organisation). */
  async findById(id: string, organisationId?: string): Promise<ApiKeyRow | undefined> {
    let query = this.kysely.selectFrom('api_keys').selectAll().where('id', '=', id);
    if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
    return query.executeTakeFirst();
  }

  async list(options: { readonly includeRevoked: boolean; readonly organisationId?: string | undefined; readonly projectId?: string | undefined }): Promise<ApiKeyRow[]> {
    let query = this.kysely.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id');
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    if (options.organisationId !== undefined) query = query.where('organisation_id', '=', options.organisationId);
    if (options.projectId !== undefined) query = query.where('project_id', '=', options.projectId);
    return query.execute();
  }

  /** Returns false when the key does not exist (in that organisation) or was already revoked. */
  async revoke(id: string, revokedAt: string, organisationId?: string): Promise<boolean> {
    let query = this.kysely.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', id).where('revoked_at', 'is', null);
    if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(id: string, usedAt: string): Promise<void> {
    await this.kysely.updateTable('api_keys').set({ last_used_at: usedAt }).where('id', '=', id).execute();
  }

  async readSetting(name: string): Promise<string | undefined> {
    const row = await this.kysely.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  /** Inserts a setting unless one exists; returns true when this call wrote it (safe across servers). */
  async insertSettingOnce(name: string, value: string, updatedAt: string): Promise<boolean> {
    const result = await this.kysely
      .insertInto('settings')
      .values({ name, value, updated_at: updatedAt })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }
}
