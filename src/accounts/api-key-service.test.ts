import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { ModelmartError } from '../core/index.js';
import { ApiKeyService } from './api-key-service.js';

async function expectStatus(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ModelmartError);
  expect((error as ModelmartError).status).toBe(status);
  expect((error as ModelmartError).code).toBe(code);
}

describe.each(testDatabaseTargets())('API keys on $name', (target) => {
  it('creates a random mm- key, stores only its hash, and authenticates it', async () => {
    const opened = await target.open();
    try {
      const service = new ApiKeyService(opened.database);
      await service.initialise();
      const created = await service.createKey({ name: 'ci', role: 'user' });
      expect(created.key).toMatch(/^mm-[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(created.key.slice(3), 'base64url')).toHaveLength(32);
      const stored = await opened.database.kysely.selectFrom('api_keys').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(created.key);
      expect(stored[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
      const principal = await service.authenticate(created.key);
      expect(principal).toMatchObject({ keyId: created.record.id, keyName: 'ci', role: 'user', organisationId: 'org_default', projectId: 'proj_default', userId: null, organisationRole: 'member' });
    } finally {
      await opened.dispose();
    }
  });

  it('refuses missing, wrong and revoked keys with 401 invalid_api_key', async () => {
    const opened = await target.open();
    try {
      const service = new ApiKeyService(opened.database);
      await service.initialise();
      const created = await service.createKey({ name: 'to revoke', role: 'user' });
      await expectStatus(service.authenticate(undefined), 401, 'invalid_api_key');
      await expectStatus(service.authenticate('mm-wrong'), 401, 'invalid_api_key');
      await service.revokeKey(created.record.id);
      await expectStatus(service.authenticate(created.key), 401, 'invalid_api_key');
      await expectStatus(service.revokeKey('key_unknown'), 404, 'key_not_found');
      expect(await service.listKeys()).toEqual([]);
      expect((await service.listKeys({ includeRevoked: true }))[0]?.revoked_at).not.toBeNull();
    } finally {
      await opened.dispose();
    }
  });

  it('generates the bootstrap admin key once, and stores a configured one', async () => {
    const opened = await target.open();
    try {
      const service = new ApiKeyService(opened.database);
      await service.initialise();
      const first = await service.ensureBootstrapAdmin(undefined);
      expect(first.generatedKey).toMatch(/^mm-/);
      expect(await service.ensureBootstrapAdmin(undefined)).toEqual({});
      expect((await service.authenticate(first.generatedKey)).role).toBe('admin');

      const configured = 'mm-configured-admin-key-0123456789';
      await service.ensureBootstrapAdmin(configured);
      await service.ensureBootstrapAdmin(configured);
      expect((await service.authenticate(configured)).role).toBe('admin');
      const admins = await sql<{ count: number }>`select count(*) as count from api_keys where role = 'admin'`.execute(opened.database.kysely);
      expect(Number(admins.rows[0]?.count)).toBe(2);
    } finally {
      await opened.dispose();
    }
  });

  it('shares one hashing secret between servers on the same database', async () => {
    const opened = await target.open();
    try {
      const first = new ApiKeyService(opened.database);
      const second = new ApiKeyService(opened.database);
      await Promise.all([first.initialise(), second.initialise()]);
      const created = await first.createKey({ name: 'shared', role: 'user' });
      expect((await second.authenticate(created.key)).keyId).toBe(created.record.id);
    } finally {
      await opened.dispose();
    }
  });
});

describe.each(testDatabaseTargets())('API key cache on $name', (target) => {
  it('sees a revocation made by another process at once', async () => {
    const opened = await target.open();
    const { openDatabase } = await import('../storage/index.js');
    const elsewhere = await openDatabase(opened.options);
    try {
      const server = new ApiKeyService(opened.database);
      const otherProcess = new ApiKeyService(elsewhere);
      await server.initialise();
      await otherProcess.initialise();
      const created = await server.createKey({ name: 'cached', role: 'user' });
      expect((await server.authenticate(created.key)).keyId).toBe(created.record.id);
      expect((await server.authenticate(created.key)).keyId).toBe(created.record.id);
      await otherProcess.revokeKey(created.record.id);
      // SQLite sees the other connection's commit on the next check; PostgreSQL within a notification's trip.
      await expect
        .poll(() => server.authenticate(created.key).then(() => 'accepted', (error: ModelmartError) => error.status), { timeout: 2_000, interval: 5 })
        .toBe(401);
      if (target.name === 'sqlite') {
        const again = await server.createKey({ name: 'immediate', role: 'user' });
        await server.authenticate(again.key);
        await otherProcess.revokeKey(again.record.id);
        // The file is asked at most once a millisecond (a cost on every request otherwise).
        await new Promise((resolve) => setTimeout(resolve, 2));
        await expectStatus(server.authenticate(again.key), 401, 'invalid_api_key');
      }
    } finally {
      await elsewhere.close();
      await opened.dispose();
    }
  });
});
