import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/index.js';
import { startLocalActionApi, type LocalActionApi } from './__fixtures__/local-action-servers.js';
import { ActionAuthoriser } from './action-authorisation.js';
import type { ActionAuth } from './gpt-action-schemas.js';
import { SafeHttpClient } from './safe-http-client.js';

let api: LocalActionApi;
beforeAll(async () => {
  api = await startLocalActionApi();
});
afterAll(async () => {
  await api.close();
});

/** A clock the test moves by hand: token expiry is about wall time. */
function handClock(): Clock & { advance(milliseconds: number): void } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(now), monotonicMilliseconds: () => now, advance: (milliseconds) => (now += milliseconds) };
}

describe('ActionAuthoriser with OAuth 2 client credentials', () => {
  const request = () => ({ url: new URL(`${api.origin}/things/1`), headers: {} as Record<string, string> });

  it('keeps a token until a minute before it expires, shares one request between concurrent calls, and renews with a rotated secret', async () => {
    const clock = handClock();
    const authoriser = new ActionAuthoriser(new SafeHttpClient({ allowList: [`127.0.0.1:${api.port}`], timeoutMs: 5_000, maxResponseBytes: 65_536, maxRedirects: 0 }), clock);
    const auth: ActionAuth = { type: 'oauth2_client_credentials', tokenUrl: `${api.origin}/oauth/token`, clientId: 'client-1', scopes: [] };
    const first = [request(), request(), request()];
    await Promise.all(first.map((each) => authoriser.apply('oauth', auth, 'client-secret-1', each)));
    expect(first.map((each) => each.headers['authorization'])).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
    expect(api.tokenRequests).toHaveLength(1);
    expect(api.tokenRequests[0]?.body).toBe('grant_type=client_credentials');

    clock.advance(3_539_000);
    const stillValid = request();
    await authoriser.apply('oauth', auth, 'client-secret-1', stillValid);
    expect(stillValid.headers['authorization']).toBe('Bearer token-1');
    clock.advance(2_000);
    const renewed = request();
    await authoriser.apply('oauth', auth, 'client-secret-1', renewed);
    expect(renewed.headers['authorization']).toBe('Bearer token-2');

    const rotated = await authoriser.apply('oauth', auth, 'another-secret', request()).catch((error: unknown) => error);
    expect(rotated).toMatchObject({ code: 'oauth_token_failed' });
    expect((rotated as Error).message).toContain('401');
    expect(api.tokenRequests).toHaveLength(3);
  });

  it('refuses an auth that needs a secret when none is stored', async () => {
    const authoriser = new ActionAuthoriser(new SafeHttpClient({ allowList: [], timeoutMs: 1_000, maxResponseBytes: 1_024, maxRedirects: 0 }));
    const error = await authoriser.apply('weather', { type: 'bearer' }, undefined, request()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'action_secret_missing' });
  });
});
