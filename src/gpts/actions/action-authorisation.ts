// Puts an action's credential on an outbound request: an API key in a header or query parameter,
// a bearer token, or an OAuth 2 client-credentials access token. Tokens are fetched through the
// SSRF-safe client and kept until shortly before they expire; the cache key includes a digest of
// the client secret, so a rotated secret fetches a new token at once.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ModelmartError, systemClock, type Clock } from '../../core/index.js';
import type { SafeHttpClient } from '../gpt-contracts.js';
import type { ActionAuth } from './gpt-action-schemas.js';

export interface OutboundRequestParts {
  readonly url: URL;
  readonly headers: Record<string, string>;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

/** A token is renewed this long before it expires, so a call never carries one that lapses on the way. */
const renewBeforeExpiryMilliseconds = 60_000;
/** How long a token without `expires_in` is kept. */
const defaultTokenLifetimeMilliseconds = 300_000;

interface CachedToken {
  readonly token: Promise<string>;
  expiresAt: number;
}

export function actionSecretMissing(actionName: string, auth: ActionAuth): ModelmartError {
  return new ModelmartError(409, `The action ${JSON.stringify(actionName)} uses ${auth.type} authentication but has no secret stored; set one with PATCH.`, { code: 'action_secret_missing', retryable: false });
}

export class ActionAuthoriser {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly httpClient: SafeHttpClient,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Adds the credential to `request` (its headers and URL are changed in place). */
  async apply(actionName: string, auth: ActionAuth, secret: string | undefined, request: OutboundRequestParts, signal?: AbortSignal): Promise<void> {
    if (auth.type === 'none') return;
    if (secret === undefined) throw actionSecretMissing(actionName, auth);
    switch (auth.type) {
      case 'api_key':
        if (auth.in === 'header') request.headers[auth.name.toLowerCase()] = secret;
        else request.url.searchParams.set(auth.name, secret);
        return;
      case 'bearer':
        request.headers['authorization'] = `Bearer ${secret}`;
        return;
      case 'oauth2_client_credentials':
        request.headers['authorization'] = `Bearer ${await this.accessToken(auth, secret, signal)}`;
        return;
    }
  }

  /** Forgets a token the API refused (401), so the next call fetches a fresh one. */
  forgetToken(auth: ActionAuth, secret: string | undefined): void {
    if (auth.type === 'oauth2_client_credentials' && secret !== undefined) this.tokens.delete(this.cacheKey(auth, secret));
  }

  private cacheKey(auth: Extract<ActionAuth, { type: 'oauth2_client_credentials' }>, secret: string): string {
    const digest = createHash('sha256').update(secret).digest('hex');
    return JSON.stringify([auth.tokenUrl, auth.clientId, [...auth.scopes].sort(), digest]);
  }

  private async accessToken(auth: Extract<ActionAuth, { type: 'oauth2_client_credentials' }>, secret: string, signal: AbortSignal | undefined): Promise<string> {
    const key = this.cacheKey(auth, secret);
    const now = this.clock.now().getTime();
    const cached = this.tokens.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.token;
    // Concurrent calls share one token request; the entry's expiry is set when the answer comes.
    const entry: CachedToken = { token: Promise.resolve(''), expiresAt: Number.POSITIVE_INFINITY };
    const token = this.requestToken(auth, secret, signal).then(
      ({ token: value, lifetimeMilliseconds }) => {
        // A short-lived token is renewed at half its life rather than never being reused.
        const margin = Math.min(renewBeforeExpiryMilliseconds, lifetimeMilliseconds / 2);
        entry.expiresAt = this.clock.now().getTime() + Math.max(0, lifetimeMilliseconds - margin);
        return value;
      },
      (error: unknown) => {
        if (this.tokens.get(key) === entry) this.tokens.delete(key);
        throw error;
      },
    );
    this.tokens.set(key, Object.assign(entry, { token }));
    return token;
  }

  private async requestToken(auth: Extract<ActionAuth, { type: 'oauth2_client_credentials' }>, secret: string, signal: AbortSignal | undefined): Promise<{ token: string; lifetimeMilliseconds: number }> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scopes.length > 0) form.set('scope', auth.scopes.join(' '));
    // client_secret_basic (RFC 6749 2.3.1): id and secret form-encoded, then base64.
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(secret)}`).toString('base64');
    const response = await this.httpClient.fetch(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body: form.toString(),
      ...(signal === undefined ? {} : { signal }),
    });
    const host = new URL(auth.tokenUrl).host;
    if (response.status < 200 || response.status >= 300) {
      throw new ModelmartError(502, `The OAuth token endpoint ${host} answered ${response.status}: ${response.body.toString('utf8').slice(0, 300)}`, { code: 'oauth_token_failed', type: 'upstream_error' });
    }
    let parsed: z.infer<typeof tokenResponseSchema>;
    try {
      parsed = tokenResponseSchema.parse(JSON.parse(response.body.toString('utf8')));
    } catch {
      throw new ModelmartError(502, `The OAuth token endpoint ${host} did not answer with a JSON object carrying access_token.`, { code: 'oauth_token_failed', type: 'upstream_error' });
    }
    const lifetimeMilliseconds = parsed.expires_in === undefined ? defaultTokenLifetimeMilliseconds : parsed.expires_in * 1_000;
    return { token: parsed.access_token, lifetimeMilliseconds };
  }
}
