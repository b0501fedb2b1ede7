import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../error-handler.js';
import { isApiPath, registerWebAppRoutes, safeSegments } from './web-app-routes.js';

const script = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

async function appFor(directory: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandling(app, 1024);
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerWebAppRoutes(app, { directory });
  await app.ready();
  return app;
}

describe('web app routes', () => {
  let directory: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'modelmart-web-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    await writeFile(join(directory, 'assets', 'index-abc123.js'), script);
    await writeFile(join(directory, 'assets', 'index-abc123.css'), 'body{margin:0}');
    await writeFile(join(directory, '.env'), 'SECRET=1');
    await writeFile(join(directory, '..', 'outside-modelmart-web.txt'), 'TOP-SECRET-CONTENT');
    app = await appFor(directory);
  });
  afterAll(async () => {
    await app.close();
    await rm(directory, { recursive: true, force: true });
    await rm(join(directory, '..', 'outside-modelmart-web.txt'), { force: true });
  });

  it('answers / and every page path with index.html, never cached, with a content security policy', async () => {
    for (const url of ['/', '/models/grok-1', '/models/qwen2.5-7b', '/compare?ids=grok-1,gpt-4', '/console']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with their content type, a year-long cache, gzip and an etag', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.body).toBe(script);

    const compressed = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(compressed.rawPayload).toString()).toBe(script);
    expect(compressed.rawPayload.length).toBeLessThan(script.length / 10);

    const again = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);

    const css = await app.inject({ method: 'GET', url: '/assets/index-abc123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-encoding']).toBeUndefined();
  });

  it('answers a missing asset and API paths with the API 404, not the app', async () => {
    for (const url of ['/assets/index-gone.js', '/favicon.png', '/v1/nothing', '/v2/nothing', '/admin/v1/nothing', '/store/v1/nothing', '/.env']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('unknown_url');
    }
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('refuses paths that try to leave the folder', async () => {
    // A raw request, as an attacker would send it, without a client normalising the path.
    const raw = await app.inject({ method: 'GET', url: '/assets/..%2f..%2f..%2foutside-modelmart-web.txt' });
    expect(raw.statusCode).toBe(400);
    expect(raw.json().error.code).toBe('invalid_path');
    for (const url of ['/%2e%2e/outside-modelmart-web.txt', '/assets/..%2f..%2foutside-modelmart-web.txt', '/assets/%2e%2e%5c%2e%2e%5coutside-modelmart-web.txt', '/a%00b']) {
      const response = await app.inject({ method: 'GET', url });
      // Refused outright, or (where the client library normalised the dots away) not found inside the folder.
      expect([400, 404], url).toContain(response.statusCode);
      expect(['invalid_path', 'unknown_url'], url).toContain(response.json().error.code);
      expect(response.body).not.toContain('TOP-SECRET-CONTENT');
    }
    const undecodable = await app.inject({ method: 'GET', url: '/%E0%A4%A' });
    expect(undecodable.statusCode).toBe(400);
  });

  it('serves a file changed on disk anew', async () => {
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>rebuilt</title><div id="root"></div><p>new build</p>');
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.body).toContain('new build');
  });

  it('says to run npm run build when the app was not built', async () => {
    const missing = await appFor(join(directory, 'not-built'));
    const response = await missing.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('npm run build');
    await missing.close();
  });

  it('tells API paths from app paths and splits paths safely', () => {
    expect(isApiPath('/v1/models')).toBe(true);
    expect(isApiPath('/v1')).toBe(true);
    expect(isApiPath('/openapi.json')).toBe(true);
    expect(isApiPath('/store')).toBe(true);
    expect(isApiPath('/auth/v1/session')).toBe(true);
    expect(isApiPath('/storefront')).toBe(false);
    expect(isApiPath('/models/v1')).toBe(false);
    expect(safeSegments('/models/grok%2D1/')).toEqual(['models', 'grok-1']);
    expect(() => safeSegments('/a/../../b')).toThrow(/outside/);
  });
});
