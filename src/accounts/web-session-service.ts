// Web sessions: the browser sends its API key once to open a session and afterwards holds only
// an HTTP-only cookie with a random session token (stored here as an HMAC, never as is). Every
// request through the session is decided by the key's current state: revoking or expiring the
// key, archiving its project or organisation, or leaving its IP allow list ends the session too.
import { timingSafeEqual } from 'node:crypto';
import { invalidApiKey, ModelmartError, newId, randomToken, systemClock, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { apiKeyPrefix } from './api-key-format.js';
import { toPrincipal, unusableReason } from './api-key-records.js';
import { checkClientAddress, type ApiKeyService } from './api-key-service.js';
import type { Principal } from './principal.js';
import { WebSessionRepository, type SessionAuthenticationRow } from './web-session-repository.js';

const sessionTokenBytes = 32;
const csrfTokenBytes = 32;
// last_seen_at moves the idle deadline; writing it at most once a minute keeps writes off page loads.
const touchIntervalMilliseconds = 60_000;
// Ended sessions are deleted in passing, at most this often, so no timer is needed.
const cleanupIntervalMilliseconds = 10 * 60_000;
const userAgentMaximumLength = 300;

export interface WebSessionSettings {
  /** A session unused for this long ends. */
  readonly idleMilliseconds: number;
  /** A session ends this long after it was opened, however much it is used. */
  readonly lifetimeMilliseconds: number;
}

/** What the signed-in browser may know about itself; never the key or the session token. */
export interface SessionIdentity {
  /** The key as it may be shown: `mm-…` and its last four characters. */
  readonly key_label: string;
  readonly key_name: string;
  readonly role: Principal['role'];
  readonly organisation_id: string;
  readonly organisation_role: Principal['organisationRole'];
  readonly project_id: string;
}

export interface OpenedSession {
  /** The session token for the cookie; this is the only time it is available. */
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly identity: SessionIdentity;
}

export interface AuthenticatedSession {
  readonly principal: Principal;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly identity: SessionIdentity;
}

export function sessionIdentity(principal: Principal, displayHint: string): SessionIdentity {
  return {
    key_label: `${apiKeyPrefix}…${displayHint.slice(-4)}`,
    key_name: principal.keyName,
    role: principal.role,
    organisation_id: principal.organisationId,
    organisation_role: principal.organisationRole,
    project_id: principal.projectId,
  };
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfTokensEqual(expected: string, presented: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const presentedBytes = Buffer.from(presented, 'utf8');
  return expectedBytes.length === presentedBytes.length && timingSafeEqual(expectedBytes, presentedBytes);
}

function sessionEnded(message: string, code: string): ModelmartError {
  return new ModelmartError(401, message, { code });
}

export class WebSessionService {
  private readonly repository: WebSessionRepository;
  private lastCleanup = Number.NEGATIVE_INFINITY;
  private readonly lastTouched = new Map<string, number>();

  constructor(
    database: Database,
    private readonly apiKeys: ApiKeyService,
    private readonly settings: WebSessionSettings,
    private readonly clock: Clock = systemClock,
  ) {
    this.repository = new WebSessionRepository(database.kysely);
  }

  /** Opens a session for a principal the caller has just authenticated by its key. */
  async open(principal: Principal, displayHint: string, userAgent: string | undefined): Promise<OpenedSession> {
    this.cleanUpNowAndThen();
    const token = randomToken(sessionTokenBytes);
    const csrfToken = randomToken(csrfTokenBytes);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.lifetimeMilliseconds).toISOString();
    await this.repository.insert({
      id: newId('sess'),
      token_hash: this.apiKeys.hashWithInstallationSecret(token),
      api_key_id: principal.keyId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
      user_agent: userAgent === undefined ? null : userAgent.slice(0, userAgentMaximumLength),
    });
    return { token, csrfToken, expiresAt, identity: sessionIdentity(principal, displayHint) };
  }

  /**
   * The principal of a session token, or 401 (unknown, revoked, idle or expired session; unusable
   * key) or 403 ip_not_allowed, exactly as the key itself would be answered.
   */
  async authenticate(token: string, clientIp: string | undefined): Promise<AuthenticatedSession> {
    this.cleanUpNowAndThen();
    const row = await this.repository.findForAuthentication(this.apiKeys.hashWithInstallationSecret(token));
    if (row === undefined || row.session_revoked_at !== null) {
      throw sessionEnded('This session has ended (signed out, or unknown to the server). Sign in again with your API key.', 'invalid_session');
    }
    const now = this.clock.now();
    this.checkLifetime(row, now);
    const shown = `${apiKeyPrefix}…${row.display_hint.slice(-4)}`;
    const reason = unusableReason(row);
    if (reason !== undefined) throw invalidApiKey(`The API key this session was opened with (${shown}) ${reason}; the session has ended.`);
    if (row.expires_at !== null && now.getTime() >= Date.parse(row.expires_at)) {
      throw invalidApiKey(`The API key this session was opened with (${shown}) expired at ${row.expires_at}; the session has ended. Create a new key.`);
    }
    const principal = toPrincipal(row);
    checkClientAddress(principal, clientIp);
    this.touchLater(row.session_id, now);
    return { principal, sessionId: row.session_id, csrfToken: row.session_csrf_token, expiresAt: row.session_expires_at, identity: sessionIdentity(principal, row.display_hint) };
  }

  async revoke(sessionId: string): Promise<void> {
    this.lastTouched.delete(sessionId);
    await this.repository.revoke(sessionId, this.clock.now().toISOString());
  }

  /** Deletes every ended session now; returns how many. */
  async deleteEnded(): Promise<number> {
    const now = this.clock.now();
    return this.repository.deleteEnded(now.toISOString(), new Date(now.getTime() - this.settings.idleMilliseconds).toISOString());
  }

  private checkLifetime(row: SessionAuthenticationRow, now: Date): void {
    if (now.getTime() >= Date.parse(row.session_expires_at)) {
      throw sessionEnded(`This session expired at ${row.session_expires_at}. Sign in again with your API key.`, 'session_expired');
    }
    const lastSeen = Math.max(Date.parse(row.session_last_seen_at), this.lastTouched.get(row.session_id) ?? 0);
    if (now.getTime() - lastSeen >= this.settings.idleMilliseconds) {
      throw sessionEnded(`This session ended after ${Math.round(this.settings.idleMilliseconds / 60_000)} minutes without use. Sign in again with your API key.`, 'session_expired');
    }
  }

  private touchLater(sessionId: string, now: Date): void {
    const last = this.lastTouched.get(sessionId);
    if (last !== undefined && now.getTime() - last < touchIntervalMilliseconds) return;
    if (this.lastTouched.size >= 10_000) this.lastTouched.clear();
    this.lastTouched.set(sessionId, now.getTime());
    this.repository.touch(sessionId, now.toISOString()).catch(() => undefined);
  }

  private cleanUpNowAndThen(): void {
    const now = this.clock.monotonicMilliseconds();
    if (now - this.lastCleanup < cleanupIntervalMilliseconds) return;
    this.lastCleanup = now;
    this.deleteEnded().catch(() => undefined);
  }
}
