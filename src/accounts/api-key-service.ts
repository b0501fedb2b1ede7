// API keys: creation (shown once), listing, revocation, the bootstrap admin key, and the
// authentication every /v1 and /admin/v1 call goes through.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { invalidApiKey, newId, notFound, permissionDenied, systemClock, type Clock } from '../core/index.js';
import type { ChangeFeed, Database } from '../storage/index.js';
import { ApiKeyRepository, type ApiKeyRow } from './api-key-repository.js';
import { apiKeyPrefix, displayHint, generateApiKey, hashApiKey } from './api-key-format.js';

export const keyRoleSchema = z.enum(['admin', 'user']);
export type KeyRole = z.infer<typeof keyRoleSchema>;

export const apiKeyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  display_hint: z.string(),
  role: keyRoleSchema,
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

export interface Principal {
  readonly keyId: string;
  readonly keyName: string;
  readonly role: KeyRole;
}

export interface CreatedApiKey {
  /** The key itself; this is the only time it is available. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

const secretSettingName = 'api_key_hash_secret';
const bootstrapSettingName = 'bootstrap_admin_key_id';
// last_used_at is informational: writing it once a minute per key keeps writes off the hot path.
const touchIntervalMilliseconds = 60_000;
// Authenticated keys are cached so a request costs no query; the change feed empties the cache
// whenever another process may have revoked a key, so revocation still takes effect at once.
// The age limit and size bound are a second line of defence, not the mechanism.
const cachedKeyLifetimeMilliseconds = 300_000;
const cachedKeyLimit = 10_000;

interface CachedPrincipal {
  readonly principal: Principal;
  readonly cachedAt: number;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    display_hint: row.display_hint,
    role: keyRoleSchema.parse(row.role),
    created_at: row.created_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
  };
}

export class ApiKeyService {
  private readonly repository: ApiKeyRepository;
  private secret: Buffer | undefined;
  private readonly lastTouched = new Map<string, number>();
  /** Keyed by the presented key itself, so a cache hit costs no HMAC either; memory only. */
  private readonly authenticated = new Map<string, CachedPrincipal>();
  private changes: ChangeFeed | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.repository = new ApiKeyRepository(database.kysely);
  }

  /** Loads (or creates once, shared by every server on the database) the HMAC secret. */
  async initialise(): Promise<void> {
    const candidate = randomBytes(32).toString('base64');
    await this.repository.insertSettingOnce(secretSettingName, candidate, this.clock.now().toISOString());
    const stored = await this.repository.readSetting(secretSettingName);
    if (stored === undefined) throw new Error('the API key secret could not be stored');
    this.secret = Buffer.from(stored, 'base64');
    this.changes ??= await this.database.openChangeFeed('api_keys');
  }

  private hash(key: string): string {
    if (this.secret === undefined) throw new Error('ApiKeyService.initialise() must run first');
    return hashApiKey(key, this.secret);
  }

  async createKey(input: { readonly name: string; readonly role: KeyRole }): Promise<CreatedApiKey> {
    const key = generateApiKey();
    return { key, record: await this.storeKey(key, input.name, input.role) };
  }

  private async storeKey(key: string, name: string, role: KeyRole): Promise<ApiKeyRecord> {
    const row: ApiKeyRow = {
      id: newId('key'),
      name,
      key_hash: this.hash(key),
      display_hint: displayHint(key),
      role,
      created_at: this.clock.now().toISOString(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.repository.insert(row);
    return toRecord(row);
  }

  async listKeys(options: { readonly includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    return (await this.repository.list(options.includeRevoked ?? false)).map(toRecord);
  }

  async revokeKey(id: string): Promise<ApiKeyRecord> {
    const revoked = await this.repository.revoke(id, this.clock.now().toISOString());
    const row = await this.repository.findById(id);
    if (row === undefined) throw notFound(`No API key with id ${JSON.stringify(id)}.`, 'key_not_found', 'id');
    if (revoked) {
      for (const [key, cached] of this.authenticated) if (cached.principal.keyId === id) this.authenticated.delete(key);
      await this.changes?.announce();
    }
    return toRecord(row);
  }

  /**
   * Makes sure an admin key exists. With a configured admin key, that key is stored (hashed).
   * Without one, the very first start generates a key and returns it so it can be printed once.
   */
  async ensureBootstrapAdmin(configuredAdminKey: string | undefined): Promise<{ readonly generatedKey?: string }> {
    if (configuredAdminKey !== undefined) {
      const existing = await this.repository.findByHash(this.hash(configuredAdminKey));
      if (existing === undefined) {
        await this.storeKey(configuredAdminKey, 'bootstrap admin (MODELMART_ADMIN_KEY)', 'admin').catch(async (error: unknown) => {
          // Another server on the same database stored it first.
          if ((await this.repository.findByHash(this.hash(configuredAdminKey))) === undefined) throw error;
        });
      }
      return {};
    }
    const key = generateApiKey();
    const claimed = await this.repository.insertSettingOnce(bootstrapSettingName, 'pending', this.clock.now().toISOString());
    if (!claimed) return {};
    await this.storeKey(key, 'bootstrap admin (generated)', 'admin');
    return { generatedKey: key };
  }

  /** Resolves the bearer key of a request to its principal, or throws 401 invalid_api_key. */
  async authenticate(presentedKey: string | undefined): Promise<Principal> {
    if (presentedKey === undefined || presentedKey === '') {
      throw invalidApiKey('You did not provide an API key. Send it as "Authorization: Bearer <key>".');
    }
    if (this.changes?.changedSinceLastCheck() === true) this.authenticated.clear();
    const now = this.clock.monotonicMilliseconds();
    const cached = this.authenticated.get(presentedKey);
    if (cached !== undefined && now - cached.cachedAt < cachedKeyLifetimeMilliseconds) {
      this.touchLater(cached.principal.keyId);
      return cached.principal;
    }
    const row = await this.repository.findByHash(this.hash(presentedKey));
    // The lookup is by HMAC, so timing reveals nothing about stored keys' bytes.
    if (row === undefined || row.revoked_at !== null) {
      const shown = presentedKey.startsWith(apiKeyPrefix) ? displayHint(presentedKey) : 'not a Modelmart key';
      throw invalidApiKey(`Incorrect API key provided (${shown}). Create a key with "modelmart keys create".`);
    }
    const principal: Principal = { keyId: row.id, keyName: row.name, role: keyRoleSchema.parse(row.role) };
    if (this.authenticated.size >= cachedKeyLimit) this.authenticated.clear();
    this.authenticated.set(presentedKey, { principal, cachedAt: now });
    this.touchLater(row.id);
    return principal;
  }

  requireAdmin(principal: Principal): void {
    if (principal.role !== 'admin') throw permissionDenied('This endpoint needs an admin key.', 'admin_required');
  }

  private touchLater(id: string): void {
    const now = this.clock.monotonicMilliseconds();
    const last = this.lastTouched.get(id);
    if (last !== undefined && now - last < touchIntervalMilliseconds) return;
    this.lastTouched.set(id, now);
    this.repository.touch(id, this.clock.now().toISOString()).catch(() => undefined);
  }
}
