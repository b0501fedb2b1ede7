import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamStub, type UpstreamStub } from '../test/support/openai-upstream-stub.js';
import { testDatabaseTargets } from '../test/support/test-databases.js';
import { CredentialVault } from './accounts/index.js';
import { configSchema } from './config/index.js';
import { createLogger } from './core/index.js';
import { startModelmart, type RunningModelmart } from './main.js';
import type { Database } from './storage/index.js';

const providers = [{ id: 'vendor', type: 'openai-compatible' as const }];

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(testDatabaseTargets())('a server with stored provider credentials on $name', (target) => {
  let upstream: UpstreamStub;
  let database: Database;
  let dispose: () => Promise<void>;
  let running: RunningModelmart;
  const encryptionKey = randomBytes(32).toString('base64');
  const adminKey = `mm-test-admin-${randomBytes(8).toString('hex')}`;

  const keySentUpstream = async (): Promise<string | undefined> => {
    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'vendor/model-a', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    return upstream.received[upstream.received.length - 1]?.headers.authorization;
  };

  beforeAll(async () => {
    upstream = await startUpstreamStub();
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    const security = { encryptionKey, previousEncryptionKeys: [] };
    // Stored before the server starts: the server must use it from its first request.
    await new CredentialVault({ database, security, providers }).set('vendor', 'sk-stored-before-start', 'key_setup');
    const config = configSchema.parse({
      server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1_000 },
      storage: opened.options,
      auth: { adminKey },
      logging: { level: 'silent' },
      providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: upstream.baseUrl, apiKey: 'sk-from-config', models: ['model-a'] }],
      security,
    });
    running = await startModelmart({ config, logger: createLogger('silent'), announce: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    await dispose?.();
    await upstream?.close();
  }, 60_000);

  it('uses the stored key from the start, and a key another process stores within a second or two', async () => {
    expect(await keySentUpstream()).toBe('Bearer sk-stored-before-start');
    // This test's own connection stands in for another server or `modelmart credentials set`.
    const elsewhere = new CredentialVault({ database, security: { encryptionKey, previousEncryptionKeys: [] }, providers });
    await elsewhere.start();
    await elsewhere.set('vendor', 'sk-stored-elsewhere', 'key_other');
    await eventually(async () => (await keySentUpstream()) === 'Bearer sk-stored-elsewhere', 'the server to use the key stored elsewhere');
    await elsewhere.remove('vendor');
    await eventually(async () => (await keySentUpstream()) === 'Bearer sk-from-config', 'the server to go back to the configured key');
    elsewhere.stop();
  }, 60_000);
});
