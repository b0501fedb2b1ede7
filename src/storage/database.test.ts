import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createScratchPostgresDatabase, postgresTestUrl, temporaryFolder, testDatabaseTargets } from '../../test/support/test-databases.js';
import { openDatabase } from './database.js';
import { StorageError } from './storage-errors.js';

describe.each(testDatabaseTargets())('database on $name', (target) => {
  it('migrates once and reports nothing pending', async () => {
    const opened = await target.open();
    try {
      expect(await opened.database.migrateToLatest()).toEqual([]);
      expect(await opened.database.pendingMigrations()).toEqual([]);
      await opened.database.ping();
      const tables = await opened.database.kysely.introspection.getTables();
      expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['api_keys', 'settings']));
    } finally {
      await opened.dispose();
    }
  });

  it('round-trips a row', async () => {
    const opened = await target.open();
    try {
      const { kysely } = opened.database;
      await kysely.insertInto('settings').values({ name: 'greeting', value: '你好', updated_at: '2026-11-28T00:00:00.000Z' }).execute();
      const row = await kysely.selectFrom('settings').selectAll().where('name', '=', 'greeting').executeTakeFirstOrThrow();
      expect(row.value).toBe('你好');
    } finally {
      await opened.dispose();
    }
  });

  it("indexes only GPT calls' ledger rows by GPT, and the GPT queries use that index", async () => {
    const opened = await target.open();
    try {
      const { kysely, dialect } = opened.database;
      if (dialect === 'sqlite') {
        const index = await sql<{ sql: string }>`select sql from sqlite_master where name = 'usage_ledger_gpt_created'`.execute(kysely);
        expect(index.rows[0]?.sql.toLowerCase()).toContain('where "gpt_id" is not null');
        const plan = await sql<{ detail: string }>`explain query plan select request_id from usage_ledger where gpt_id = ${'gpt_x'} and created_at >= ${'2026-11-01'}`.execute(kysely);
        expect(plan.rows.map((row) => row.detail).join(' ')).toContain('usage_ledger_gpt_created');
      } else {
        const index = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'usage_ledger_gpt_created'`.execute(kysely);
        expect(index.rows[0]?.indexdef.toLowerCase()).toContain('where (gpt_id is not null)');
        await sql`set enable_seqscan = off`.execute(kysely);
        const plan = await sql<{ 'QUERY PLAN': string }>`explain select request_id from usage_ledger where gpt_id = ${'gpt_x'} and created_at >= ${'2026-11-01'}`.execute(kysely);
        expect(plan.rows.map((row) => row['QUERY PLAN']).join(' ')).toContain('usage_ledger_gpt_created');
      }
    } finally {
      await opened.dispose();
    }
  });
});

describe('SQLite specifics', () => {
  it('uses WAL, a busy timeout and foreign keys', async () => {
    const folder = temporaryFolder();
    const database = await openDatabase({ dataDir: folder.path });
    try {
      const { sql } = await import('kysely');
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.kysely);
      const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.kysely);
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(database.kysely);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
      expect(busy.rows[0]?.timeout).toBe(5000);
    } finally {
      await database.close();
      folder.remove();
    }
  });

  it('keeps a second server off the same file, and frees it on close', async () => {
    const folder = temporaryFolder();
    const first = await openDatabase({ dataDir: folder.path, exclusive: true });
    // A lock naming a live process other than ours blocks; simulate it with the parent process.
    writeFileSync(join(folder.path, 'modelmart.db.lock'), String(process.ppid));
    await expect(openDatabase({ dataDir: folder.path, exclusive: true })).rejects.toThrow(/another Modelmart server \(pid \d+\) is already using/);
    await first.close();
    const second = await openDatabase({ dataDir: folder.path, exclusive: true });
    await second.close();
    folder.remove();
  });

  it('takes over a lock left by a process that died', async () => {
    const folder = temporaryFolder();
    writeFileSync(join(folder.path, 'modelmart.db.lock'), '999999999');
    const database = await openDatabase({ dataDir: folder.path, exclusive: true });
    await database.close();
    folder.remove();
  });

  it('says clearly when the data folder cannot be written', async () => {
    const folder = temporaryFolder();
    const blocker = join(folder.path, 'a-file');
    writeFileSync(blocker, 'not a folder');
    await expect(openDatabase({ dataDir: join(blocker, 'data') })).rejects.toThrow(StorageError);
    await expect(openDatabase({ dataDir: join(blocker, 'data') })).rejects.toThrow(/data folder .* is not writable/);
    folder.remove();
  });
});

describe('PostgreSQL specifics', () => {
  const baseUrl = postgresTestUrl();

  it('names an unreachable server without leaking the password', async () => {
    const failure = openDatabase({ dataDir: '.', databaseUrl: 'postgres://user:hunter2@127.0.0.1:1/modelmart' });
    await expect(failure).rejects.toThrow(/cannot reach PostgreSQL at postgres:\/\/user:\*\*\*@127\.0\.0\.1:1\/modelmart/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it.skipIf(baseUrl === undefined)('runs each migration once when two servers start together', async () => {
    const scratch = await createScratchPostgresDatabase(baseUrl ?? '');
    const folder = temporaryFolder();
    const servers = await Promise.all([0, 1, 2].map(() => openDatabase({ dataDir: folder.path, databaseUrl: scratch.url, poolSize: 2 })));
    try {
      const applied = await Promise.all(servers.map((server) => server.migrateToLatest()));
      expect(applied.flat()).toEqual(expect.arrayContaining(['0001-initial']));
      expect(applied.flat().filter((name) => name === '0001-initial')).toHaveLength(1);
      const first = servers[0];
      if (first === undefined) throw new Error('no server');
      const { sql } = await import('kysely');
      const rows = await sql<{ count: number }>`select count(*)::int as count from modelmart_migration`.execute(first.kysely);
      expect(rows.rows[0]?.count).toBe(applied.flat().length);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await scratch.drop();
      folder.remove();
    }
  });
});
