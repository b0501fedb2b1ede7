// Provider credentials in the database: one sealed row per provider.
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema } from '../storage/index.js';

/** A stored row, as the table declares it (src/storage/tables/security-tables.ts). */
export type ProviderCredentialRow = Selectable<DatabaseSchema['provider_credentials']>;

export class CredentialVaultRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async find(providerId: string): Promise<ProviderCredentialRow | undefined> {
    return this.kysely.selectFrom('provider_credentials').selectAll().where('provider_id', '=', providerId).executeTakeFirst();
  }

  async list(): Promise<ProviderCredentialRow[]> {
    return this.kysely.selectFrom('provider_credentials').selectAll().orderBy('provider_id').execute();
  }

  async upsert(row: ProviderCredentialRow): Promise<void> {
    await this.kysely
      .insertInto('provider_credentials')
      .values(row)
      .onConflict((conflict) =>
        conflict.column('provider_id').doUpdateSet({ ciphertext: row.ciphertext, nonce: row.nonce, auth_tag: row.auth_tag, key_id: row.key_id, updated_at: row.updated_at, updated_by: row.updated_by }),
      )
      .execute();
  }

  /** Re-seals a row only if it is still the one that was read, so a concurrent write is never overwritten. */
  async reseal(read: ProviderCredentialRow, sealed: Pick<ProviderCredentialRow, 'ciphertext' | 'nonce' | 'auth_tag' | 'key_id'>): Promise<boolean> {
    const result = await this.kysely
      .updateTable('provider_credentials')
      .set(sealed)
      .where('provider_id', '=', read.provider_id)
      .where('key_id', '=', read.key_id)
      .where('nonce', '=', read.nonce)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(providerId: string): Promise<boolean> {
    const result = await this.kysely.deleteFrom('provider_credentials').where('provider_id', '=', providerId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
