// API keys: creation (shown once) inside an organisation and project with scopes, expiry and
// limits; listing and revocation scoped to the caller's organisation; the bootstrap admin key;
// and the authentication every /v1 and /admin/v1 call goes through.
import { randomBytes } from 'node:crypto';
import { invalidApiKey, invalidRequest, newId, notFound, permissionDenied, systemClock, type Clock } from '../core/index.js';
import { zodErrorToModelmartError } from '../api/index.js';
import type { ChangeFeed, Database } from '../storage/index.js';
import { ApiKeyRepository, type ApiKeyRow } from './api-key-repository.js';
import { apiKeyPrefix, displayHint, generateApiKey, hashApiKey } from './api-key-format.js';
import { createKeyInputSchema, toPrincipal, toRecord, unusableReason, type ApiKeyRecord, type CreateKeyInput } from './api-key-records.js';
import { addressAllowed } from './key-scope-rules.js';
import {
  defaultOrganisationId,
  defaultProjectId,
  ensureOrganisationVisible,
  isInstallationAdmin,
  localOperator,
  organisationNotFound,
  requireOrganisationManager,
  type Actor,
  type Principal,
} from './principal.js';
import { TenancyRepository } from './tenancy-repository.js';

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
// whenever another process may have changed a key, project, organisation or membership, so a
// revocation or a new limit still takes effect at once. The age limit and size bound are a
// second line of defence, not the mechanism.
const cachedKeyLifetimeMilliseconds = 300_000;
const cachedKeyLimit = 10_000;

interface CachedPrincipal {
  readonly principal: Principal;
  readonly cachedAt: number;
  readonly expiresAtMilliseconds: number | undefined;
}

/** Checks a principal's IP allow list: 403 ip_not_allowed naming the address when it is not on it. */
export function checkClientAddress(principal: Principal, clientIp: string | undefined): void {
  if (principal.scopes.ipAllowList === null) return;
  if (clientIp === undefined || !addressAllowed(principal.scopes.ipAllowList, clientIp)) {
    throw permissionDenied(`This API key may not be used from ${clientIp ?? 'an unknown address'}: it is outside the key's IP allow list.`, 'ip_not_allowed');
  }
}

export class ApiKeyService {
  private readonly repository: ApiKeyRepository;
  private readonly tenancy: TenancyRepository;
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
    this.tenancy = new TenancyRepository(database.kysely);
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

  /** HMAC-SHA-256 (hex) under the installation secret keys are hashed with; billing stores redemption codes this way. */
  hashWithInstallationSecret(value: string): string {
    return this.hash(value);
  }

  /**
   * Forgets every cached principal here and tells other servers to do the same; called after any
   * change to keys, organisations, projects or memberships that a principal carries.
   */
  async principalsChanged(): Promise<void> {
    this.authenticated.clear();
    await this.changes?.announce();
  }

  async createKey(input: CreateKeyInput, actor: Actor = localOperator): Promise<CreatedApiKey> {
    const parsed = createKeyInputSchema.safeParse(input);
    if (!parsed.success) throw zodErrorToModelmartError(parsed.error);
    const request = parsed.data;
    requireOrganisationManager(actor);
    if (request.role === 'admin' && !isInstallationAdmin(actor)) throw permissionDenied('Only an installation admin key may create admin keys.');
    const organisationId = request.organisation_id ?? (isInstallationAdmin(actor) ? defaultOrganisationId : actor.organisationId);
    ensureOrganisationVisible(actor, organisationId);
    const organisation = await this.tenancy.findOrganisation(organisationId);
    if (organisation === undefined) throw organisationNotFound(organisationId, 'organisation_id');
    if (organisation.archived_at !== null) throw invalidRequest(`Organisation ${organisationId} is archived; its keys cannot be created.`, 'organisation_id');
    const projectId = request.project_id ?? (await this.defaultProjectOf(organisationId));
    const project = await this.tenancy.findProject(organisationId, projectId);
    if (project === undefined || project.archived_at !== null) {
      throw invalidRequest(`No active project ${JSON.stringify(projectId)} in organisation ${organisationId}.`, 'project_id', 'project_not_found');
    }
    if (request.user_id !== undefined) {
      const member = await this.tenancy.findMember(organisationId, request.user_id);
      if (member === undefined) throw invalidRequest(`User ${JSON.stringify(request.user_id)} is not a member of organisation ${organisationId}.`, 'user_id', 'user_not_found');
      if (member.role === 'owner' && !isInstallationAdmin(actor) && actor.organisationRole !== 'owner') {
        throw permissionDenied("Only an owner may create keys that act as an owner.");
      }
    }
    const now = this.clock.now();
    if (request.expires_at !== undefined && Date.parse(request.expires_at) <= now.getTime()) {
      throw invalidRequest(`expires_at ${request.expires_at} is in the past; give a future time.`, 'expires_at', 'invalid_expiry');
    }
    const key = generateApiKey();
    const row: ApiKeyRow = {
      id: newId('key'),
      name: request.name,
      key_hash: this.hash(key),
      display_hint: displayHint(key),
      role: request.role,
      organisation_id: organisationId,
      project_id: projectId,
      user_id: request.user_id ?? null,
      scopes: request.scopes === undefined ? null : JSON.stringify(request.scopes),
      expires_at: request.expires_at === undefined ? null : new Date(request.expires_at).toISOString(),
      requests_per_minute: request.requests_per_minute ?? null,
      tokens_per_minute: request.tokens_per_minute ?? null,
      created_at: now.toISOString(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.repository.insert(row);
    return { key, record: toRecord(row) };
  }

  private async defaultProjectOf(organisationId: string): Promise<string> {
    if (organisationId === defaultOrganisationId) return defaultProjectId;
    const [first] = await this.tenancy.listProjects(organisationId, false);
    if (first === undefined) throw invalidRequest(`Organisation ${organisationId} has no active project; give project_id.`, 'project_id');
    return first.id;
  }

  async listKeys(
    options: { readonly includeRevoked?: boolean; readonly organisationId?: string; readonly projectId?: string } = {},
    actor: Actor = localOperator,
  ): Promise<ApiKeyRecord[]> {
    requireOrganisationManager(actor);
    if (options.organisationId !== undefined) ensureOrganisationVisible(actor, options.organisationId);
    const organisationId = options.organisationId ?? (isInstallationAdmin(actor) ? undefined : actor.organisationId);
    const rows = await this.repository.list({ includeRevoked: options.includeRevoked ?? false, organisationId, projectId: options.projectId });
    return rows.map(toRecord);
  }

  async revokeKey(id: string, actor: Actor = localOperator): Promise<ApiKeyRecord> {
    requireOrganisationManager(actor);
    const scope = isInstallationAdmin(actor) ? undefined : actor.organisationId;
    const revoked = await this.repository.revoke(id, this.clock.now().toISOString(), scope);
    const row = await this.repository.findById(id, scope);
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
        await this.storeAdminKey(configuredAdminKey, 'bootstrap admin (MODELMART_ADMIN_KEY)').catch(async (error: unknown) => {
          // Another server on the same database stored it first.
          if ((await this.repository.findByHash(this.hash(configuredAdminKey))) === undefined) throw error;
        });
      }
      return {};
    }
    const key = generateApiKey();
    const claimed = await this.repository.insertSettingOnce(bootstrapSettingName, 'pending', this.clock.now().toISOString());
    if (!claimed) return {};
    await this.storeAdminKey(key, 'bootstrap admin (generated)');
    return { generatedKey: key };
  }

  private async storeAdminKey(key: string, name: string): Promise<void> {
    await this.repository.insert({
      id: newId('key'),
      name,
      key_hash: this.hash(key),
      display_hint: displayHint(key),
      role: 'admin',
      organisation_id: defaultOrganisationId,
      project_id: defaultProjectId,
      user_id: null,
      scopes: null,
      expires_at: null,
      requests_per_minute: null,
      tokens_per_minute: null,
      created_at: this.clock.now().toISOString(),
      revoked_at: null,
      last_used_at: null,
    });
  }

  /**
   * Resolves the bearer key of a request to its principal, or throws 401 invalid_api_key (missing,
   * wrong, revoked or expired key) or 403 ip_not_allowed (client outside the key's allow list).
   */
  async authenticate(presentedKey: string | undefined, options: { readonly clientIp?: string } = {}): Promise<Principal> {
    if (presentedKey === undefined || presentedKey === '') {
      throw invalidApiKey('You did not provide an API key. Send it as "Authorization: Bearer <key>".');
    }
    if (this.changes?.changedSinceLastCheck() === true) this.authenticated.clear();
    const now = this.clock.monotonicMilliseconds();
    let entry = this.authenticated.get(presentedKey);
    if (entry === undefined || now - entry.cachedAt >= cachedKeyLifetimeMilliseconds) {
      entry = await this.load(presentedKey, now);
    }
    if (entry.expiresAtMilliseconds !== undefined && this.clock.now().getTime() >= entry.expiresAtMilliseconds) {
      throw invalidApiKey(`This API key (${displayHint(presentedKey)}) expired at ${entry.principal.scopes.expiresAt ?? ''}. Create a new key.`);
    }
    if (entry.principal.scopes.ipAllowList !== null) checkClientAddress(entry.principal, options.clientIp);
    this.touchLater(entry.principal.keyId);
    return entry.principal;
  }

  private async load(presentedKey: string, now: number): Promise<CachedPrincipal> {
    const row = await this.repository.findForAuthentication(this.hash(presentedKey));
    // The lookup is by HMAC, so timing reveals nothing about stored keys' bytes.
    const shown = presentedKey.startsWith(apiKeyPrefix) ? displayHint(presentedKey) : 'not a Modelmart key';
    if (row === undefined) throw invalidApiKey(`Incorrect API key provided (${shown}). Create a key with "modelmart keys create".`);
    const reason = unusableReason(row);
    if (reason !== undefined) throw invalidApiKey(`This API key (${shown}) ${reason}.`);
    const principal = toPrincipal(row);
    const entry: CachedPrincipal = { principal, cachedAt: now, expiresAtMilliseconds: row.expires_at === null ? undefined : Date.parse(row.expires_at) };
    if (this.authenticated.size >= cachedKeyLimit) this.authenticated.clear();
    this.authenticated.set(presentedKey, entry);
    return entry;
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
