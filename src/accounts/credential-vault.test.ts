import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { ConfigError } from '../config/index.js';
import { openDatabase, type Database } from '../storage/index.js';
import { encryptionKeyId, parseEncryptionKey } from './credential-vault-cipher.js';
import { CredentialVault, type CredentialVaultOptions } from './credential-vault.js';

const providers = [
  { id: 'openai', type: 'openai-compatible' as const },
  { id: 'claude', type: 'anthropic' as const },
  { id: 'local', type: 'llama-cpp' as const },
];

function newKey(): string {
  return randomBytes(32).toString('base64');
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDatabaseTargets())('credential vault on $name', (target) => {
  let database: Database;
  let options: { dataDir: string; databaseUrl?: string };
  let dispose: () => Promise<void>;
  const firstKey = newKey();
  const secondKey = newKey();
  const vault = (encryptionKey: string | undefined, previousEncryptionKeys: string[] = [], extra: Partial<CredentialVaultOptions> = {}) =>
    new CredentialVault({ database, security: { ...(encryptionKey === undefined ? {} : { encryptionKey }), previousEncryptionKeys }, providers, ...extra });

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    options = opened.options;
    dispose = opened.dispose;
  });
  afterAll(async () => dispose());

  it('encrypts and decrypts a credential; the row holds no trace of the secret', async () => {
    const secret = 'sk-live-round-trip-0123456789';
    const status = await vault(firstKey).set('openai', secret, 'key_admin');
    expect(status).toMatchObject({ object: 'provider_credential', provider: 'openai', configured: true, updated_by: 'key_admin', key_id: encryptionKeyId(Buffer.from(firstKey, 'base64')) });
    expect(status.key_id).toMatch(/^[0-9a-f]{8}$/);
    expect(await vault(firstKey).reveal('openai')).toBe(secret);
    const row = await database.kysely.selectFrom('provider_credentials').selectAll().where('provider_id', '=', 'openai').executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
    expect(Buffer.from(row.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(row.auth_tag, 'base64')).toHaveLength(16);
  });

  it('says clearly when the configured key is not the one the credential was sealed with', async () => {
    const wrong = await vault(newKey()).reveal('openai').catch((error: unknown) => error);
    expect(wrong).toMatchObject({ status: 500, code: 'credential_unreadable' });
    expect((wrong as Error).message).toMatch(/encrypted with key [0-9a-f]{8}, which is neither MODELMART_ENCRYPTION_KEY nor one of security.previousEncryptionKeys/);
  });

  it('detects a row that was altered or moved to another provider', async () => {
    const row = await database.kysely.selectFrom('provider_credentials').selectAll().where('provider_id', '=', 'openai').executeTakeFirstOrThrow();
    await database.kysely.insertInto('provider_credentials').values({ ...row, provider_id: 'claude' }).execute();
    const moved = await vault(firstKey).reveal('claude').catch((error: unknown) => error);
    expect((moved as Error).message).toMatch(/failed its integrity check/);
    await vault(firstKey).remove('claude');
  });

  it('rotates: a previous key still decrypts, rotate() re-encrypts, then the previous key can go', async () => {
    await vault(firstKey).set('claude', 'sk-ant-second-secret', 'key_admin');
    const during = vault(secondKey, [firstKey]);
    expect(await during.reveal('openai')).toBe('sk-live-round-trip-0123456789');
    const result = await during.rotate();
    expect(result).toEqual({ rotated: 2, alreadyCurrent: 0, keyId: encryptionKeyId(Buffer.from(secondKey, 'base64')) });
    expect(await during.rotate()).toMatchObject({ rotated: 0, alreadyCurrent: 2 });
    const after = vault(secondKey);
    expect(await after.reveal('openai')).toBe('sk-live-round-trip-0123456789');
    expect(await after.reveal('claude')).toBe('sk-ant-second-secret');
    expect((await after.status('claude')).key_id).toBe(result.keyId);
    await expect(vault(firstKey).reveal('openai')).rejects.toMatchObject({ code: 'credential_unreadable' });
  });

  it('refuses to store without an encryption key, naming MODELMART_ENCRYPTION_KEY, and refuses bad input', async () => {
    const withoutKey = vault(undefined);
    const refused = await withoutKey.set('openai', 'sk-x', 'key_admin').catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 409, code: 'encryption_key_not_configured' });
    expect((refused as Error).message).toContain('MODELMART_ENCRYPTION_KEY');
    await expect(vault(secondKey).set('nobody', 'sk-x', 'key_admin')).rejects.toEqual(expect.objectContaining({ status: 404, code: 'provider_not_found' }));
    await expect(vault(secondKey).set('openai', '   ', 'key_admin')).rejects.toEqual(expect.objectContaining({ status: 400, param: 'api_key' }));
    await expect(vault(secondKey).set('local', 'sk-x', 'key_admin')).rejects.toEqual(expect.objectContaining({ status: 400, code: 'provider_takes_no_credential' }));
    expect(() => vault('dG9vIHNob3J0')).toThrow(ConfigError);
    expect(() => parseEncryptionKey('not base64 at all!', 'security.encryptionKey')).toThrow(/openssl rand -base64 32/);
  });

  it('applies stored keys at start, and another server sees a change through the change feed', async () => {
    const other = await openDatabase(options);
    const applied: [string, string | undefined][] = [];
    const watcher = new CredentialVault({ database: other, security: { encryptionKey: secondKey, previousEncryptionKeys: [] }, providers, apply: (id, key) => applied.push([id, key]), pollMilliseconds: 20 });
    try {
      await watcher.start();
      expect(applied).toEqual([
        ['claude', 'sk-ant-second-secret'],
        ['openai', 'sk-live-round-trip-0123456789'],
      ]);
      const writer = vault(secondKey);
      await writer.start();
      await writer.set('openai', 'sk-live-replaced', 'key_admin');
      await waitFor(() => applied.length === 3, 'the new key to reach the other server');
      expect(applied[2]).toEqual(['openai', 'sk-live-replaced']);
      await writer.remove('claude');
      await waitFor(() => applied.length === 4, 'the deletion to reach the other server');
      expect(applied[3]).toEqual(['claude', undefined]);
      writer.stop();
    } finally {
      watcher.stop();
      await other.close();
    }
  });
});
