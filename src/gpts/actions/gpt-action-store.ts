// Where GPT actions live: gpt_actions rows (definition and auth as JSON, read back through zod)
// and their secrets in gpt_action_secrets, sealed with AES-256-GCM under security.encryptionKey
// and bound to the action's id, so a sealed row copied onto another action does not open.
import type { Kysely } from 'kysely';
import { encryptionKeyVariable, open, parseEncryptionKey, seal, type EncryptionKey } from '../../accounts/credential-vault-cipher.js';
import type { Config } from '../../config/index.js';
import { ModelmartError, newSequentialId, systemClock, type Clock } from '../../core/index.js';
import type { Database, DatabaseSchema } from '../../storage/index.js';
import { actionAuthSchema, actionDefinitionSchema, type ActionAuth, type ActionDefinition } from './gpt-action-schemas.js';

export interface GptActionRecord {
  readonly id: string;
  readonly gptId: string;
  readonly kind: 'openapi' | 'mcp';
  readonly name: string;
  readonly definition: ActionDefinition;
  readonly auth: ActionAuth;
  readonly hasSecret: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdByKeyId: string;
}

export interface GptActionStoreOptions {
  readonly database: Database;
  readonly security: Config['security'];
  readonly clock?: Clock;
}

/** What a secret is bound to: a sealed secret opens only for the action it was sealed for. */
function associatedData(actionId: string): string {
  return `gpt_action:${actionId}`;
}

export class GptActionStore {
  private readonly kysely: Kysely<DatabaseSchema>;
  private readonly clock: Clock;
  private readonly currentKey: EncryptionKey | undefined;
  private readonly readableKeys: readonly EncryptionKey[];

  /** Throws ConfigError when a configured encryption key is not base64 of 32 bytes. */
  constructor(options: GptActionStoreOptions) {
    this.kysely = options.database.kysely;
    this.clock = options.clock ?? systemClock;
    const { encryptionKey, previousEncryptionKeys } = options.security;
    this.currentKey = encryptionKey === undefined ? undefined : parseEncryptionKey(encryptionKey, `security.encryptionKey (${encryptionKeyVariable})`);
    const previous = previousEncryptionKeys.map((text, index) => parseEncryptionKey(text, `security.previousEncryptionKeys[${index}]`));
    this.readableKeys = this.currentKey === undefined ? previous : [this.currentKey, ...previous];
  }

  /** Refuses a secret before anything is written when no key could seal it. */
  requireEncryptionKey(): EncryptionKey {
    if (this.currentKey === undefined) {
      throw new ModelmartError(409, `Action secrets cannot be stored: no encryption key is configured. Set ${encryptionKeyVariable} to base64 of 32 random bytes (openssl rand -base64 32) and restart.`, {
        code: 'encryption_key_not_configured',
        retryable: false,
      });
    }
    return this.currentKey;
  }

  async insert(input: { gptId: string; kind: 'openapi' | 'mcp'; name: string; definition: ActionDefinition; auth: ActionAuth; createdByKeyId: string }, secret: string | undefined): Promise<GptActionRecord> {
    const key = secret === undefined ? undefined : this.requireEncryptionKey();
    const id = newSequentialId('act');
    const now = this.clock.now().toISOString();
    await this.kysely.transaction().execute(async (transaction) => {
      await transaction
        .insertInto('gpt_actions')
        .values({ id, gpt_id: input.gptId, kind: input.kind, name: input.name, definition: JSON.stringify(input.definition), auth: JSON.stringify(input.auth), created_at: now, updated_at: now, created_by_key_id: input.createdByKeyId })
        .execute();
      if (secret !== undefined && key !== undefined) await this.writeSecret(transaction, id, secret, key, now);
    });
    return { id, gptId: input.gptId, kind: input.kind, name: input.name, definition: input.definition, auth: input.auth, hasSecret: secret !== undefined, createdAt: now, updatedAt: now, createdByKeyId: input.createdByKeyId };
  }

  /**
   * Replaces what is given; `secret` undefined keeps the stored one, null removes it. Returns the
   * record as stored, or undefined when the action is gone.
   */
  async update(gptId: string, actionId: string, change: { name?: string; definition?: ActionDefinition; auth?: ActionAuth; secret?: string | null }): Promise<GptActionRecord | undefined> {
    const key = typeof change.secret === 'string' ? this.requireEncryptionKey() : undefined;
    const now = this.clock.now().toISOString();
    const updated = await this.kysely.transaction().execute(async (transaction) => {
      const result = await transaction
        .updateTable('gpt_actions')
        .set({
          updated_at: now,
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.definition === undefined ? {} : { definition: JSON.stringify(change.definition) }),
          ...(change.auth === undefined ? {} : { auth: JSON.stringify(change.auth) }),
        })
        .where('id', '=', actionId)
        .where('gpt_id', '=', gptId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (change.secret === null) await transaction.deleteFrom('gpt_action_secrets').where('action_id', '=', actionId).execute();
      if (typeof change.secret === 'string' && key !== undefined) await this.writeSecret(transaction, actionId, change.secret, key, now);
      return true;
    });
    return updated ? this.get(gptId, actionId) : undefined;
  }

  async delete(gptId: string, actionId: string): Promise<boolean> {
    return this.kysely.transaction().execute(async (transaction) => {
      const result = await transaction.deleteFrom('gpt_actions').where('id', '=', actionId).where('gpt_id', '=', gptId).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await transaction.deleteFrom('gpt_action_secrets').where('action_id', '=', actionId).execute();
      return true;
    });
  }

  async get(gptId: string, actionId: string): Promise<GptActionRecord | undefined> {
    const [record] = await this.select(gptId, actionId);
    return record;
  }

  /** The GPT's actions, oldest first (the order their tools are offered in). */
  async list(gptId: string): Promise<readonly GptActionRecord[]> {
    return this.select(gptId, undefined);
  }

  /** The plaintext secret of an action, or undefined when none is stored. */
  async readSecret(actionId: string): Promise<string | undefined> {
    const row = await this.kysely.selectFrom('gpt_action_secrets').selectAll().where('action_id', '=', actionId).executeTakeFirst();
    if (row === undefined) return undefined;
    return open({ ciphertext: row.ciphertext, nonce: row.nonce, authTag: row.auth_tag, keyId: row.key_id }, this.readableKeys, associatedData(actionId));
  }

  private async select(gptId: string, actionId: string | undefined): Promise<GptActionRecord[]> {
    let query = this.kysely
      .selectFrom('gpt_actions')
      .leftJoin('gpt_action_secrets', 'gpt_action_secrets.action_id', 'gpt_actions.id')
      .selectAll('gpt_actions')
      .select('gpt_action_secrets.action_id as secret_action_id')
      .where('gpt_actions.gpt_id', '=', gptId);
    if (actionId !== undefined) query = query.where('gpt_actions.id', '=', actionId);
    const rows = await query.orderBy('gpt_actions.created_at').orderBy('gpt_actions.id').execute();
    return rows.map((row) => ({
      id: row.id,
      gptId: row.gpt_id,
      kind: row.kind === 'mcp' ? 'mcp' : 'openapi',
      name: row.name,
      definition: actionDefinitionSchema.parse(JSON.parse(row.definition)),
      auth: actionAuthSchema.parse(JSON.parse(row.auth)),
      hasSecret: row.secret_action_id !== null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdByKeyId: row.created_by_key_id,
    }));
  }

  private async writeSecret(transaction: Kysely<DatabaseSchema>, actionId: string, secret: string, key: EncryptionKey, now: string): Promise<void> {
    const sealed = seal(secret, key, associatedData(actionId));
    const values = { ciphertext: sealed.ciphertext, nonce: sealed.nonce, auth_tag: sealed.authTag, key_id: sealed.keyId, updated_at: now };
    await transaction
      .insertInto('gpt_action_secrets')
      .values({ action_id: actionId, ...values })
      .onConflict((conflict) => conflict.column('action_id').doUpdateSet(values))
      .execute();
  }
}
