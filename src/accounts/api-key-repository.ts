// API keys and server settings in the database (dialect-neutral Kysely queries).
import type { Kysely } from 'kysely';
import type { DatabaseSchema, ApiKeysTable } from '../storage/index.js';

export type ApiKeyRow = ApiKeysTable;

export class ApiKeyRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.kysely.insertInto('api_keys').values(row).execute();
  }

  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    return this.kysely.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  }

  async findById(id: string): Promise<ApiKeyRow | undefined> {
    return this.kysely.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(includeRevoked: boolean): Promise<ApiKeyRow[]> {
    let query = this.kysely.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id');
    if (!includeRevoked) query = query.where('revoked_at', 'is', null);
    return query.execute();
  }

  /** Returns false when the key does not exist or was already revoked. */
  async revoke(id: string, revokedAt: string): Promise<boolean> {
    const result = await this.kysely
      .updateTable('api_keys')
      .set({ revoked_at: revokedAt })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
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
