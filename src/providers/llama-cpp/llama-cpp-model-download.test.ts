// Pulling hf: models, against a local HTTP server that stands in for the hub (no network in
// tests): the resolve URL, the redirect to storage, the progress bar, size and format checks,
// the atomic rename, and the cache that makes a second start download nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf } from '../../../test/support/tiny-gguf-writer.js';
import type { ProviderConfig } from '../../config/index.js';
import { createLlamaCppAdapter } from './index.js';
import { cachedModelPath, ensureHubModel, ModelDownloadError, parseHubUri } from './llama-cpp-model-download.js';

const model = buildTinyGguf({ seed: 5 });

interface HubStandIn {
  readonly url: string;
  readonly requests: string[];
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

async function startHubStandIn(): Promise<HubStandIn> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push(path);
    authorizations.push(request.headers.authorization);
    if (path === '/org/tiny-repo/resolve/main/tiny.gguf') {
      // The hub answers resolve URLs with a redirect to its storage, announcing the size.
      response.writeHead(302, { location: '/storage/blob-1', 'x-linked-size': String(model.bytes.length) }).end();
    } else if (path === '/storage/blob-1') {
      response.writeHead(200, { 'content-length': String(model.bytes.length), 'content-type': 'application/octet-stream' });
      const middle = Math.floor(model.bytes.length / 2);
      response.write(model.bytes.subarray(0, middle));
      setTimeout(() => response.end(model.bytes.subarray(middle)), 20);
    } else if (path === '/org/tiny-repo/resolve/main/truncated.gguf') {
      response.writeHead(200, { 'content-length': String(model.bytes.length) });
      response.write(model.bytes.subarray(0, 1000), () => response.destroy());
    } else if (path === '/org/tiny-repo/resolve/main/page.gguf') {
      const page = Buffer.from('<html>not a model</html>');
      response.writeHead(200, { 'content-length': String(page.length), 'content-type': 'text/html' }).end(page);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function reference(uri: string) {
  const parsed = parseHubUri(uri);
  if (parsed === undefined) throw new Error(`not an hf: URI: ${uri}`);
  return parsed;
}

describe('hf: model download', () => {
  let hub: HubStandIn;
  let directory: string;

  beforeAll(async () => {
    hub = await startHubStandIn();
    directory = await mkdtemp(join(tmpdir(), 'llama-cpp-download-'));
  });
  afterAll(async () => {
    await hub.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('pulls the model into <data>/models with a progress bar, serves it, and reuses the cache', async () => {
    const dataDir = join(directory, 'data');
    const config: ProviderConfig = { id: 'local', type: 'llama-cpp', threads: 1, models: [{ name: 'pulled', uri: 'hf:org/tiny-repo/tiny.gguf', contextWindow: 128 }] };
    const progress = new PassThrough();
    let drawn = '';
    progress.on('data', (chunk: Buffer) => (drawn += chunk.toString()));

    const adapter = createLlamaCppAdapter(config, { dataDir, hubBaseUrl: hub.url, progressStream: progress, environment: {} });
    const context = { signal: new AbortController().signal, requestId: 'req_pull', warnings: [] };
    const answer = await adapter.chat({ model: 'local/pulled', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3, temperature: 0, seed: 1 }, 'pulled', context);
    await adapter.close?.();
    // Random weights may end the answer early; what matters is that the pulled model answered.
    expect(answer.usage?.completion_tokens).toBeGreaterThan(0);
    expect(answer.usage?.completion_tokens).toBeLessThanOrEqual(3);
    expect(hub.requests).toEqual(['/org/tiny-repo/resolve/main/tiny.gguf', '/storage/blob-1']);
    expect(drawn).toContain('Downloading hf:org/tiny-repo/tiny.gguf');
    expect(drawn).toContain('100%');

    const cached = cachedModelPath(reference('hf:org/tiny-repo/tiny.gguf'), join(dataDir, 'models'));
    expect((await readFile(cached)).equals(model.bytes)).toBe(true);
    expect(await readdir(join(dataDir, 'models', 'hf', 'org', 'tiny-repo', 'main'))).toEqual(['tiny.gguf']);

    const again = createLlamaCppAdapter(config, { dataDir, hubBaseUrl: hub.url, progressStream: new PassThrough(), environment: {} });
    await again.chat({ model: 'local/pulled', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 }, 'pulled', context);
    await again.close?.();
    expect(hub.requests).toHaveLength(2);
  });

  it('keeps pulled models where MODELMART_MODEL_CACHE says, and sends HF_TOKEN', async () => {
    const cacheDirectory = join(directory, 'shared-cache');
    const config: ProviderConfig = { id: 'local', type: 'llama-cpp', threads: 1, models: [{ name: 'pulled', uri: 'hf:org/tiny-repo/tiny.gguf', embedding: true }] };
    const adapter = createLlamaCppAdapter(config, {
      dataDir: join(directory, 'unused'),
      hubBaseUrl: hub.url,
      progressStream: new PassThrough(),
      environment: { MODELMART_MODEL_CACHE: cacheDirectory, HF_TOKEN: 'hf_test_token' },
    });
    const result = await adapter.embed?.({ input: 'hello' }, 'pulled', { signal: new AbortController().signal, requestId: 'req_cache', warnings: [] });
    await adapter.close?.();
    expect(result?.data[0]?.embedding).toHaveLength(model.embeddingLength);
    expect(await readFile(cachedModelPath(reference('hf:org/tiny-repo/tiny.gguf'), cacheDirectory))).toHaveLength(model.bytes.length);
    expect(hub.authorizations.at(-2)).toBe('Bearer hf_test_token');
  });

  it('leaves nothing in the cache when the download breaks off, and says how far it got', async () => {
    const cacheDirectory = join(directory, 'truncated');
    const download = ensureHubModel(reference('hf:org/tiny-repo/truncated.gguf'), { hubBaseUrl: hub.url, cacheDirectory });
    await expect(download).rejects.toBeInstanceOf(ModelDownloadError);
    await expect(download).rejects.toThrow(/truncated\.gguf/);
    expect(await readdir(join(cacheDirectory, 'hf', 'org', 'tiny-repo', 'main'))).toEqual([]);
  });

  it('explains a missing file and a file that is not GGUF', async () => {
    const cacheDirectory = join(directory, 'failures');
    await expect(ensureHubModel(reference('hf:org/tiny-repo/absent.gguf'), { hubBaseUrl: hub.url, cacheDirectory })).rejects.toThrow(
      `the hub has no file at ${hub.url}/org/tiny-repo/resolve/main/absent.gguf (HTTP 404)`,
    );
    await expect(ensureHubModel(reference('hf:org/tiny-repo/page.gguf'), { hubBaseUrl: hub.url, cacheDirectory })).rejects.toThrow('is not a GGUF file');
    expect(await readdir(join(cacheDirectory, 'hf', 'org', 'tiny-repo', 'main'))).toEqual([]);
  });
});
