import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviceFor, ApiClient, ApiError, buildQueryString } from './api-client';

describe('API client', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (part: Buffer) => (body += part.toString()));
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        if (request.url?.startsWith('/ok')) {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [] }));
        } else if (request.url === '/signed-out') {
          response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'This session has ended.', type: 'invalid_request_error', param: null, code: 'invalid_session' } }));
        } else if (request.url === '/denied') {
          response.writeHead(403, { 'content-type': 'application/json', 'x-request-id': 'req_abc' }).end(JSON.stringify({ error: { message: 'Admins only.', type: 'invalid_request_error', param: null, code: 'admin_required' } }));
        } else {
          response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the signed-in key as a Bearer token and JSON bodies', async () => {
    let key: string | null = 'mm-test-key-123456';
    const client = new ApiClient({ baseUrl, getKey: () => key });
    await client.get('/ok', { q: 'grok', empty: '', none: undefined, limit: 5 });
    await client.post('/ok', { name: 'ci' });
    key = null;
    await client.get('/ok');
    expect(seen.at(-3)).toMatchObject({ method: 'GET', url: '/ok?q=grok&limit=5', headers: { authorization: 'Bearer mm-test-key-123456' } });
    expect(seen.at(-2)).toMatchObject({ method: 'POST', body: '{"name":"ci"}', headers: { 'content-type': 'application/json' } });
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('uses the cookie session: same-origin credentials, the CSRF token on unsafe methods only, no Authorization', async () => {
    const sentInit: RequestInit[] = [];
    const client = new ApiClient({
      baseUrl,
      getCsrfToken: () => 'csrf-token-abc',
      fetchImplementation: (input, init) => {
        if (init !== undefined) sentInit.push(init);
        return fetch(input, init);
      },
    });
    await client.get('/ok');
    await client.post('/ok', { name: 'web' });
    await client.send('DELETE', '/ok');
    await client.send('POST', '/ok', { rawBody: { content: 'plain words', contentType: 'text/plain' } });
    expect(sentInit.every((init) => init.credentials === 'same-origin')).toBe(true);
    expect(seen.at(-4)?.headers['x-csrf-token']).toBeUndefined();
    expect(seen.at(-3)?.headers['x-csrf-token']).toBe('csrf-token-abc');
    expect(seen.at(-2)).toMatchObject({ method: 'DELETE', headers: { 'x-csrf-token': 'csrf-token-abc' } });
    expect(seen.at(-1)).toMatchObject({ body: 'plain words', headers: { 'content-type': 'text/plain', 'x-csrf-token': 'csrf-token-abc' } });
    expect(seen.slice(-4).every((request) => request.headers.authorization === undefined)).toBe(true);
    // An explicit key goes as a Bearer token and needs no CSRF token.
    await new ApiClient({ baseUrl, getKey: () => 'mm-test-key-123456', getCsrfToken: () => 'csrf-token-abc' }).post('/ok', {});
    expect(seen.at(-1)?.headers).toMatchObject({ authorization: 'Bearer mm-test-key-123456' });
    expect(seen.at(-1)?.headers['x-csrf-token']).toBeUndefined();
  });

  it('tells the shell about every 401, then fails the call; the CSRF refusal has its own advice', async () => {
    const refusals: ApiError[] = [];
    const client = new ApiClient({ baseUrl, onUnauthorized: (error) => refusals.push(error) });
    const failure = (await client.get('/signed-out').catch((error: unknown) => error)) as ApiError;
    expect(failure).toMatchObject({ status: 401, code: 'invalid_session' });
    expect(refusals).toEqual([failure]);
    await client.get('/denied').catch(() => undefined);
    expect(refusals).toHaveLength(1);
    expect(adviceFor(new ApiError(403, 'x', 'csrf_token_invalid', null, null))).toBe('advice.csrf');
  });

  it("raises the API's error with its message, code and request id, and advice for it", async () => {
    const client = new ApiClient({ baseUrl, getKey: () => null });
    const failure = await client.get('/denied').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 403, message: 'Admins only.', code: 'admin_required', requestId: 'req_abc' });
    expect(adviceFor(failure as ApiError)).toBe('advice.forbidden');
  });

  it('explains a response that is not an API error, and an unreachable server', async () => {
    const client = new ApiClient({ baseUrl, getKey: () => null });
    const gateway = (await client.get('/broken').catch((error: unknown) => error)) as ApiError;
    expect(gateway.status).toBe(502);
    expect(gateway.message).toContain('502');
    expect(adviceFor(gateway)).toBe('advice.serverError');
    const nowhere = new ApiClient({ baseUrl: 'http://127.0.0.1:1', getKey: () => null });
    const unreachable = (await nowhere.get('/ok').catch((error: unknown) => error)) as ApiError;
    expect(unreachable.code).toBe('network_error');
    expect(adviceFor(unreachable)).toBe('advice.network');
  });

  it('maps statuses and codes to what the reader can do', () => {
    const error = (status: number, code: string | null = null) => new ApiError(status, 'x', code, null, null);
    expect(adviceFor(error(401, 'invalid_api_key'))).toBe('advice.signIn');
    expect(adviceFor(error(402, 'insufficient_quota'))).toBe('advice.quota');
    expect(adviceFor(error(403, 'model_not_allowed'))).toBe('advice.modelNotAllowed');
    expect(adviceFor(error(429, 'rate_limit_exceeded'))).toBe('advice.rateLimited');
    expect(adviceFor(error(400, 'invalid_filter'))).toBe('advice.badRequest');
    expect(buildQueryString({})).toBe('');
  });
});
