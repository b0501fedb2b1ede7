// The databases every repository test runs against: SQLite always, PostgreSQL when
// MODELMART_TEST_DATABASE_URL is set. In CI (CI=true) a missing PostgreSQL is a failure,
// elsewhere a visible skip. Each PostgreSQL use gets a fresh database of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/storage/index.js';

export interface TestDatabaseTarget {
  readonly name: 'sqlite' | 'postgres';
  /** Opens a fresh, migrated database; `dispose` removes it. */
  open(): Promise<{ readonly database: Database; readonly options: { dataDir: string; databaseUrl?: string }; dispose(): Promise<void> }>;
}

const postgresUrl = process.env.MODELMART_TEST_DATABASE_URL;
const redisUrl = process.env.MODELMART_TEST_REDIS_URL;
const inContinuousIntegration = process.env.CI === 'true';

let noticeShown = false;
function notice(what: string, variable: string): void {
  if (noticeShown) return;
  noticeShown = true;
  process.stderr.write(`\n[notice] ${what} tests are skipped: set ${variable} to run them.\n`);
}

export function postgresTestUrl(): string | undefined {
  if (postgresUrl === undefined || postgresUrl === '') {
    if (inContinuousIntegration) throw new Error('CI=true but MODELMART_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI');
    notice('PostgreSQL', 'MODELMART_TEST_DATABASE_URL');
    return undefined;
  }
  return postgresUrl;
}

export function redisTestUrl(): string | undefined {
  if (redisUrl === undefined || redisUrl === '') {
    if (inContinuousIntegration) throw new Error('CI=true but MODELMART_TEST_REDIS_URL is not set: Redis tests must run in CI');
    process.stderr.write('\n[notice] Redis tests are skipped: set MODELMART_TEST_REDIS_URL to run them.\n');
    return undefined;
  }
  return redisUrl;
}

export function temporaryFolder(prefix = 'modelmart-test-'): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Creates an empty PostgreSQL database next to the test URL's and returns its URL. */
export async function createScratchPostgresDatabase(baseUrl: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const name = `modelmart_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export const sqliteTarget: TestDatabaseTarget = {
  name: 'sqlite',
  async open() {
    const folder = temporaryFolder();
    const database = await openDatabase({ dataDir: folder.path });
    await database.migrateToLatest();
    return {
      database,
      options: { dataDir: folder.path },
      async dispose() {
        await database.close();
        folder.remove();
      },
    };
  },
};

export function postgresTarget(baseUrl: string): TestDatabaseTarget {
  return {
    name: 'postgres',
    async open() {
      const scratch = await createScratchPostgresDatabase(baseUrl);
      const folder = temporaryFolder();
      const database = await openDatabase({ dataDir: folder.path, databaseUrl: scratch.url, poolSize: 4 });
      await database.migrateToLatest();
      return {
        database,
        options: { dataDir: folder.path, databaseUrl: scratch.url },
        async dispose() {
          await database.close();
          await scratch.drop();
          folder.remove();
        },
      };
    },
  };
}

/** SQLite, plus PostgreSQL when configured: loop over these with describe.each. */
export function testDatabaseTargets(): TestDatabaseTarget[] {
  const url = postgresTestUrl();
  return url === undefined ? [sqliteTarget] : [sqliteTarget, postgresTarget(url)];
}
