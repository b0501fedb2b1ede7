// Provider API keys stored encrypted at rest (AES-256-GCM under security.encryptionKey). A stored
// key overrides the one in modelmart.yaml: applied at start, at once in the server that stored
// it, and in every other server on the database through a change feed each one watches.
import { z } from 'zod';
import type { Config, ProviderConfig } from '../config/index.js';
import { invalidRequest, ModelmartError, notFound, systemClock, type Clock, type Logger } from '../core/index.js';
import type { ChangeFeed, Database } from '../storage/index.js';
import { encryptionKeyVariable, open, parseEncryptionKey, seal, type EncryptionKey } from './credential-vault-cipher.js';
import { CredentialVaultRepository, type ProviderCredentialRow } from './credential-vault-repository.js';

export const credentialStatusSchema = z.object({
  object: z.literal('provider_credential'),
  provider: z.string(),
  configured: z.boolean(),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
  key_id: z.string().nullable(),
});
/** What may be shown about a stored credential: never the secret. */
export type CredentialStatus = z.infer<typeof credentialStatusSchema>;

export const providerApiKeySchema = z.string().trim().min(1, { error: 'the API key must not be empty' }).max(8192);

export interface CredentialVaultOptions {
  readonly database: Database;
  readonly security: Config['security'];
  /** The configured providers; only these may hold a credential. */
  readonly providers: readonly Pick<ProviderConfig, 'id' | 'type'>[];
  /** Puts a provider's stored key into use; undefined goes back to the configured one. */
  readonly apply?: (providerId: string, apiKey: string | undefined) => void;
  readonly clock?: Clock;
  readonly logger?: Pick<Logger, 'error' | 'warn'>;
  /** How often to look for changes made by other servers. */
  readonly pollMilliseconds?: number;
}

export interface RotationResult {
  readonly rotated: number;
  readonly alreadyCurrent: number;
  readonly keyId: string;
}

function toStatus(providerId: string, row: ProviderCredentialRow | undefined): CredentialStatus {
  return {
    object: 'provider_credential',
    provider: providerId,
    configured: row !== undefined,
    updated_at: row?.updated_at ?? null,
    updated_by: row?.updated_by ?? null,
    key_id: row?.key_id ?? null,
  };
}

function sealedOf(row: ProviderCredentialRow) {
  return { ciphertext: row.ciphertext, nonce: row.nonce, authTag: row.auth_tag, keyId: row.key_id };
}

export class CredentialVault {
  private readonly repository: CredentialVaultRepository;
  private readonly clock: Clock;
  private readonly currentKey: EncryptionKey | undefined;
  /** The current key first, then the previous ones: every key a row may be sealed with. */
  private readonly readableKeys: readonly EncryptionKey[];
  private readonly providerTypes: ReadonlyMap<string, string>;
  /** The stored keys this server has put into use, by provider. */
  private readonly applied = new Map<string, string>();
  private changes: ChangeFeed | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  // Reloads and writes take turns, so a reload that read before a write never undoes it.
  private turn: Promise<unknown> = Promise.resolve();

  /** Throws ConfigError when a configured encryption key is not base64 of 32 bytes. */
  constructor(private readonly options: CredentialVaultOptions) {
    this.repository = new CredentialVaultRepository(options.database.kysely);
    this.clock = options.clock ?? systemClock;
    const { encryptionKey, previousEncryptionKeys } = options.security;
    this.currentKey = encryptionKey === undefined ? undefined : parseEncryptionKey(encryptionKey, `security.encryptionKey (${encryptionKeyVariable})`);
    const previous = previousEncryptionKeys.map((text, index) => parseEncryptionKey(text, `security.previousEncryptionKeys[${index}]`));
    this.readableKeys = this.currentKey === undefined ? previous : [this.currentKey, ...previous];
    this.providerTypes = new Map(options.providers.map((provider) => [provider.id, provider.type]));
  }

  private exclusive<Result>(work: () => Promise<Result>): Promise<Result> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  /** The id of the key new credentials are sealed with, if one is configured. */
  get currentKeyId(): string | undefined {
    return this.currentKey?.id;
  }

  /** Puts every stored credential into use and starts watching for other servers' changes. */
  async start(): Promise<void> {
    this.changes ??= await this.options.database.openChangeFeed('provider_credentials');
    await this.exclusive(() => this.reloadNow());
    this.poller = setInterval(() => {
      if (this.changes?.changedSinceLastCheck() !== true) return;
      this.exclusive(() => this.reloadNow()).catch((error: unknown) => this.options.logger?.error({ err: error }, 'reloading provider credentials failed'));
    }, this.options.pollMilliseconds ?? 1_000);
    this.poller.unref();
  }

  stop(): void {
    if (this.poller !== undefined) clearInterval(this.poller);
  }

  /** Whether a credential is stored for a configured provider (404 for an unknown provider). */
  async status(providerId: string): Promise<CredentialStatus> {
    this.requireProvider(providerId);
    return toStatus(providerId, await this.repository.find(providerId));
  }

  /** Encrypts and stores a provider's API key and puts it into use here and on every server. */
  async set(providerId: string, apiKey: string, updatedBy: string): Promise<CredentialStatus> {
    this.requireProvider(providerId);
    const secret = providerApiKeySchema.safeParse(apiKey);
    if (!secret.success) throw invalidRequest('The API key must not be empty.', 'api_key', 'invalid_api_key_value');
    const key = this.requireCurrentKey();
    return this.exclusive(async () => {
      const now = this.clock.now().toISOString();
      const existing = await this.repository.find(providerId);
      const sealed = seal(secret.data, key, providerId);
      const row: ProviderCredentialRow = {
        provider_id: providerId,
        ciphertext: sealed.ciphertext,
        nonce: sealed.nonce,
        auth_tag: sealed.authTag,
        key_id: sealed.keyId,
        created_at: existing?.created_at ?? now,
        updated_at: now,
        updated_by: updatedBy,
      };
      await this.repository.upsert(row);
      this.use(providerId, secret.data);
      await this.changes?.announce();
      return toStatus(providerId, row);
    });
  }

  /** Deletes a stored credential; the provider goes back to its configured key. 404 when none is stored. */
  async remove(providerId: string): Promise<CredentialStatus> {
    this.requireProvider(providerId);
    return this.exclusive(async () => {
      const existing = await this.repository.find(providerId);
      if (existing === undefined || !(await this.repository.delete(providerId))) {
        throw notFound(`No credential is stored for provider ${JSON.stringify(providerId)}.`, 'credential_not_found');
      }
      this.use(providerId, undefined);
      await this.changes?.announce();
      return toStatus(providerId, existing);
    });
  }

  /** Re-encrypts every credential sealed by a previous key with the current one. */
  async rotate(): Promise<RotationResult> {
    const key = this.requireCurrentKey();
    return this.exclusive(async () => {
      let rotated = 0;
      let alreadyCurrent = 0;
      for (const row of await this.repository.list()) {
        if (row.key_id === key.id) {
          alreadyCurrent += 1;
          continue;
        }
        const plaintext = open(sealedOf(row), this.readableKeys, row.provider_id);
        const sealed = seal(plaintext, key, row.provider_id);
        if (await this.repository.reseal(row, { ciphertext: sealed.ciphertext, nonce: sealed.nonce, auth_tag: sealed.authTag, key_id: sealed.keyId })) rotated += 1;
      }
      return { rotated, alreadyCurrent, keyId: key.id };
    });
  }

  /** The decrypted key of one provider, for the processes that use it; undefined when none is stored. */
  async reveal(providerId: string): Promise<string | undefined> {
    this.requireProvider(providerId);
    const row = await this.repository.find(providerId);
    return row === undefined ? undefined : open(sealedOf(row), this.readableKeys, providerId);
  }

  private requireProvider(providerId: string): void {
    const type = this.providerTypes.get(providerId);
    if (type === undefined) {
      throw notFound(`No provider with id ${JSON.stringify(providerId)} is configured (known: ${[...this.providerTypes.keys()].join(', ') || 'none'}).`, 'provider_not_found', 'provider');
    }
    if (type === 'llama-cpp') throw invalidRequest(`Provider ${JSON.stringify(providerId)} is the embedded llama.cpp engine; it takes no API key.`, 'provider', 'provider_takes_no_credential');
  }

  private requireCurrentKey(): EncryptionKey {
    if (this.currentKey === undefined) {
      throw new ModelmartError(409, `Provider credentials cannot be stored: no encryption key is configured. Set ${encryptionKeyVariable} to base64 of 32 random bytes (openssl rand -base64 32) and restart.`, {
        code: 'encryption_key_not_configured',
        retryable: false,
      });
    }
    return this.currentKey;
  }

  private use(providerId: string, apiKey: string | undefined): void {
    if (apiKey === undefined) this.applied.delete(providerId);
    else this.applied.set(providerId, apiKey);
    this.options.apply?.(providerId, apiKey);
  }

  private async reloadNow(): Promise<void> {
    const rows = await this.repository.list();
    const stored = new Set<string>();
    let unreadable = 0;
    for (const row of rows) {
      if (!this.providerTypes.has(row.provider_id) || this.providerTypes.get(row.provider_id) === 'llama-cpp') continue;
      stored.add(row.provider_id);
      let plaintext: string;
      try {
        plaintext = open(sealedOf(row), this.readableKeys, row.provider_id);
      } catch (error) {
        unreadable += 1;
        // The provider keeps the key it has; an unreadable row must not silently remove it.
        this.options.logger?.error({ provider: row.provider_id, err: error }, 'a stored provider credential cannot be decrypted; the provider keeps its previous key');
        continue;
      }
      if (this.applied.get(row.provider_id) !== plaintext) this.use(row.provider_id, plaintext);
    }
    for (const providerId of [...this.applied.keys()]) if (!stored.has(providerId)) this.use(providerId, undefined);
    if (unreadable > 0 && this.currentKey === undefined) {
      this.options.logger?.warn({ credentials: unreadable }, `stored provider credentials are not in use: set ${encryptionKeyVariable}`);
    }
  }
}
