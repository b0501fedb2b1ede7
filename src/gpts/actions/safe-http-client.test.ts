import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelmartError } from '../../core/index.js';
import { SafeHttpClient, type ResolvedAddress } from './safe-http-client.js';

interface LocalServer {
  readonly port: number;
  readonly origin: string;
  readonly seen: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  handle(handler: (request: IncomingMessage, response: ServerResponse) => void): void;
  close(): Promise<void>;
}

async function startServer(): Promise<LocalServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.end('ok');
  const seen: LocalServer['seen'] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    seen,
    handle: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const defaults = { allowList: [] as string[], timeoutMs: 5_000, maxResponseBytes: 1024 * 1024, maxRedirects: 3 };

async function refusal(promise: Promise<unknown>): Promise<ModelmartError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelmartError);
  return error as ModelmartError;
}

let server: LocalServer;
let other: LocalServer;

beforeAll(async () => {
  server = await startServer();
  other = await startServer();
});
afterAll(async () => {
  await server.close();
  await other.close();
});

describe('SafeHttpClient refuses what is not public', () => {
  const client = new SafeHttpClient(defaults);

  it.each([
    ['loopback', () => `http://127.0.0.1:${server.port}/`, /127\.0\.0\.1 is a loopback address/],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a cloud metadata address/],
    ['a private address', () => 'http://10.0.0.1/', /10\.0\.0\.1 is a private address/],
    ['IPv6 loopback', () => `http://[::1]:${server.port}/`, /::1 is a loopback address/],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${server.port}/`, /loopback address in IPv4-mapped form \(127\.0\.0\.1\)/],
    ['the unspecified address', () => `http://0.0.0.0:${server.port}/`, /0\.0\.0\.0 is an unspecified/],
    ['a name resolving to loopback', () => `http://localhost:${server.port}/`, /localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/],
    ['loopback written as one decimal number', () => `http://2130706433:${server.port}/`, /127\.0\.0\.1 is a loopback address/],
    ['loopback written in octal and short form', () => `http://0177.1:${server.port}/`, /127\.0\.0\.1 is a loopback address/],
    ['metadata written in hexadecimal', () => 'http://0xa9fea9fe/', /169\.254\.169\.254 is a cloud metadata address/],
    ['a private IPv6 address', () => 'http://[fd00::1]/', /fd00::1 is a private/],
    ['IPv6 metadata', () => 'http://[fd00:ec2::254]/', /cloud metadata/],
  ])('refuses %s', async (_name, url, message) => {
    const error = await refusal(client.fetch(url()));
    expect(error.status).toBe(403);
    expect(error.code).toBe('destination_not_allowed');
    expect(error.message).toMatch(message);
    expect(server.seen.length).toBe(0);
  });

  it('refuses a name an injected resolver answers with loopback, before connecting', async () => {
    const lookups: string[] = [];
    const resolving = new SafeHttpClient(defaults, {
      lookup: async (hostname): Promise<ResolvedAddress[]> => {
        lookups.push(hostname);
        return [
          { address: '93.184.215.14', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ];
      },
    });
    const error = await refusal(resolving.fetch(`http://evil.example:${server.port}/`));
    expect(error.code).toBe('destination_not_allowed');
    expect(error.message).toContain('evil.example resolves to 127.0.0.1, which is a loopback address');
    expect(lookups).toEqual(['evil.example']);
    expect(server.seen.length).toBe(0);
  });

  it('refuses metadata host names whatever they resolve to, and schemes other than http(s)', async () => {
    const resolving = new SafeHttpClient(defaults, { lookup: async () => [{ address: '8.8.8.8', family: 4 }] });
    expect((await refusal(resolving.fetch('http://metadata.google.internal/computeMetadata/v1/'))).message).toContain('cloud metadata');
    const fileError = await refusal(client.fetch('file:///etc/passwd'));
    expect(fileError.code).toBe('destination_not_allowed');
    expect(fileError.message).toContain('only http and https');
    expect((await refusal(client.fetch('not a url'))).code).toBe('invalid_url');
  });
});

describe('SafeHttpClient with an allow list', () => {
  it('reaches an allowed host and port and returns status, headers, body and url', async () => {
    server.handle((request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-custom': 'yes' }).end(JSON.stringify({ method: request.method }));
    });
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${server.port}`] });
    const response = await client.fetch(`${server.origin}/things?q=1`, { method: 'post', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(201);
    expect(response.headers['x-custom']).toBe('yes');
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ method: 'POST' });
    expect(response.url).toBe(`${server.origin}/things?q=1`);
    // The port in the entry opens this server only.
    expect((await refusal(client.fetch(`${other.origin}/`))).code).toBe('destination_not_allowed');
  });

  it('opens cloud metadata only for an entry naming it exactly, however it is written', async () => {
    const broad = new SafeHttpClient({ ...defaults, allowList: ['169.254.0.0/16', '::ffff:0:0/96', '*.internal'] }, { lookup: async () => [{ address: '169.254.169.254', family: 4 }] });
    for (const url of ['http://169.254.169.254/', 'http://[::ffff:169.254.169.254]/', 'http://anything.internal/']) {
      expect((await refusal(broad.fetch(url, { timeoutMilliseconds: 500 }))).code).toBe('destination_not_allowed');
    }
  });

  it('connects to the address it checked, keeping the name as the Host header, with one lookup', async () => {
    server.handle((_request, response) => response.end('pinned'));
    const lookups: string[] = [];
    const client = new SafeHttpClient(
      { ...defaults, allowList: [`api.test:${server.port}`] },
      {
        lookup: async (hostname) => {
          lookups.push(hostname);
          return [{ address: '127.0.0.1', family: 4 }];
        },
      },
    );
    const response = await client.fetch(`http://api.test:${server.port}/pinned`);
    expect(response.body.toString('utf8')).toBe('pinned');
    expect(server.seen.at(-1)?.headers.host).toBe(`api.test:${server.port}`);
    expect(lookups).toEqual(['api.test']);
  });

  it('follows redirects, re-checking every hop: a redirect to loopback elsewhere is refused', async () => {
    other.handle((_request, response) => response.end('should never be reached'));
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${server.port}`] });
    const targets = [`http://[::1]:${server.port}/`, `http://localhost:${other.port}/`, `${other.origin}/`, 'http://169.254.169.254/'];
    for (const target of targets) {
      server.handle((_request, response) => response.writeHead(302, { location: target }).end());
      const error = await refusal(client.fetch(`${server.origin}/start`));
      expect(error.code).toBe('destination_not_allowed');
    }
    expect(other.seen.length).toBe(0);
  });

  it('follows an allowed redirect, turning a POST into a GET after 303, and dropping credentials across origins', async () => {
    server.handle((request, response) => {
      if (request.url === '/start') response.writeHead(303, { location: '/done' }).end();
      else if (request.url === '/done') response.writeHead(307, { location: `${other.origin}/final` }).end();
    });
    other.handle((_request, response) => response.end('final'));
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${server.port}`, `127.0.0.1:${other.port}`] });
    const response = await client.fetch(`${server.origin}/start`, { method: 'POST', body: 'x', headers: { authorization: 'Bearer s3cret', 'x-api-key': 'k', accept: 'text/plain' } });
    expect(response.body.toString('utf8')).toBe('final');
    expect(response.url).toBe(`${other.origin}/final`);
    const done = server.seen.find((entry) => entry.url === '/done');
    expect(done?.method).toBe('GET');
    expect(done?.headers.authorization).toBe('Bearer s3cret');
    const final = other.seen.at(-1);
    expect(final?.headers.authorization).toBeUndefined();
    expect(final?.headers['x-api-key']).toBeUndefined();
    expect(final?.headers.accept).toBe('text/plain');
  });

  it('stops after maxRedirects', async () => {
    server.handle((_request, response) => response.writeHead(302, { location: '/again' }).end());
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${server.port}`] });
    const error = await refusal(client.fetch(`${server.origin}/`));
    expect(error.code).toBe('outbound_failed');
    expect(error.message).toContain('redirected more than 3 times');
  });

  it('caps the response size, declared or streamed', async () => {
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${server.port}`], maxResponseBytes: 1_000 });
    server.handle((_request, response) => response.end('x'.repeat(2_000)));
    expect((await refusal(client.fetch(`${server.origin}/declared`))).code).toBe('response_too_large');
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (let index = 0; index < 20; index += 1) response.write('y'.repeat(100));
      response.end();
    });
    const streamed = await refusal(client.fetch(`${server.origin}/streamed`));
    expect(streamed.code).toBe('response_too_large');
    expect(streamed.message).toContain('1000 bytes');
    const small = await client.fetch(`${server.origin}/streamed`, { maxResponseBytes: 5_000 });
    expect(small.body.length).toBe(2_000);
  });

  it('gives up at the timeout', async () => {
    server.handle(() => undefined);
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${server.port}`] });
    const started = Date.now();
    const error = await refusal(client.fetch(`${server.origin}/slow`, { timeoutMilliseconds: 300 }));
    expect(error.code).toBe('outbound_timeout');
    expect(error.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reaches an allowed IPv6 address, by literal and by a name pinned to it', async () => {
    const v6 = createServer((request, response) => response.end(`v6 ${request.headers.host ?? ''}`));
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    const port = (v6.address() as AddressInfo).port;
    try {
      const client = new SafeHttpClient({ ...defaults, allowList: [`[::1]:${port}`, `v6.test:${port}`] }, { lookup: async () => [{ address: '::1', family: 6 }] });
      expect((await client.fetch(`http://[::1]:${port}/`)).body.toString('utf8')).toBe(`v6 [::1]:${port}`);
      expect((await client.fetch(`http://v6.test:${port}/`)).body.toString('utf8')).toBe(`v6 v6.test:${port}`);
      // The entry names ::1 on that port only; the IPv4-mapped loopback is another destination.
      expect((await refusal(client.fetch(`http://[::ffff:127.0.0.1]:${port}/`))).code).toBe('destination_not_allowed');
    } finally {
      v6.closeAllConnections();
      await new Promise<void>((resolve) => v6.close(() => resolve()));
    }
  });

  it('speaks TLS to the pinned address with the host name as SNI', async () => {
    // A certificate made for this test (no key material in the repository); openssl is part of the base system.
    const folder = mkdtempSync(join(tmpdir(), 'modelmart-tls-'));
    try {
      const [keyFile, certificateFile] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certificateFile, '-days', '1', '-subj', '/CN=secure.test'], { stdio: 'ignore' });
      const serverNames: string[] = [];
      const tls = createTlsServer({ key: readFileSync(keyFile), cert: readFileSync(certificateFile), SNICallback: (name, done) => {
        serverNames.push(name);
        done(null);
      } }, (_request, response) => response.end('secure'));
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      const port = (tls.address() as AddressInfo).port;
      try {
        const client = new SafeHttpClient({ ...defaults, allowList: [`secure.test:${port}`] }, { lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
        // The certificate is self-signed, so the client refuses it after sending the name it expects.
        const error = await refusal(client.fetch(`https://secure.test:${port}/`));
        expect(error.code).toBe('outbound_failed');
        expect(error.message).toMatch(/SELF_SIGNED|self.signed/i);
        expect(serverNames).toEqual(['secure.test']);
      } finally {
        tls.closeAllConnections();
        await new Promise<void>((resolve) => tls.close(() => resolve()));
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names the host and cause of a network failure', async () => {
    const closed = await startServer();
    const port = closed.port;
    await closed.close();
    const client = new SafeHttpClient({ ...defaults, allowList: [`127.0.0.1:${port}`] });
    const error = await refusal(client.fetch(`http://127.0.0.1:${port}/`));
    expect(error.code).toBe('outbound_failed');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
  });
});
