// Opens the database Modelmart stores everything in (SQLite by default, PostgreSQL by URL),
// runs the versioned migrations, and answers readiness checks.
import { Kysely, Migrator, sql, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';
import type { DatabaseSchema } from './database-schema.js';
import { openSqlite } from './dialects/sqlite-dialect.js';
import { openPostgres, redactDatabaseUrl } from './dialects/postgres-dialect.js';
import { StorageError } from './storage-errors.js';
import { postgresChangeFeed, sqliteChangeFeed, type ChangeFeed } from './change-feed.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  readonly kysely: Kysely<DatabaseSchema>;
  readonly dialect: DialectName;
  /** Where the data lives: a file path or a redacted URL. */
  readonly location: string;
  ping(): Promise<void>;
  migrateToLatest(): Promise<readonly string[]>;
  pendingMigrations(): Promise<readonly string[]>;
  /** A feed telling whether another process changed a topic's data; closed with the database. */
  openChangeFeed(topic: string): Promise<ChangeFeed>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /** Take the single-server lock on a SQLite file (the server does; CLI commands do not). */
  readonly exclusive?: boolean;
  readonly poolSize?: number;
}

const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };

function createMigrator(kysely: Kysely<DatabaseSchema>): Migrator {
  return new Migrator({
    db: kysely,
    provider: migrationProvider,
    migrationTableName: 'modelmart_migration',
    migrationLockTableName: 'modelmart_migration_lock',
  });
}

function describeConnectionFailure(error: unknown): string {
  const failure = error as NodeJS.ErrnoException & { errors?: readonly Error[] };
  const inner = failure.errors?.[0];
  return inner?.message ?? failure.code ?? failure.message ?? String(error);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let kysely: Kysely<DatabaseSchema>;
  let dialect: DialectName;
  let location: string;
  let release: () => void = () => undefined;
  let stopBackgroundWork: () => Promise<void> = async () => undefined;
  let createChangeFeed: (topic: string) => Promise<ChangeFeed>;

  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    const opened = openPostgres(options.databaseUrl, options.poolSize ?? 10);
    kysely = new Kysely<DatabaseSchema>({ dialect: opened.dialect });
    dialect = 'postgres';
    location = opened.location;
    const url = options.databaseUrl;
    const postgres = kysely;
    createChangeFeed = (topic) =>
      postgresChangeFeed(url, topic, async (channel) => {
        await sql`select pg_notify(${channel}, '')`.execute(postgres);
      });
    try {
      await sql`select 1`.execute(kysely);
    } catch (error) {
      await kysely.destroy().catch(() => undefined);
      throw new StorageError(`cannot reach PostgreSQL at ${redactDatabaseUrl(options.databaseUrl)}: ${describeConnectionFailure(error)}`, { cause: error });
    }
  } else {
    const opened = openSqlite(options.dataDir, { exclusive: options.exclusive ?? false });
    kysely = new Kysely<DatabaseSchema>({ dialect: opened.dialect });
    dialect = 'sqlite';
    location = opened.location;
    release = opened.release;
    stopBackgroundWork = opened.stopBackgroundWork;
    createChangeFeed = async () => sqliteChangeFeed(opened.connection);
  }

  const migrator = createMigrator(kysely);
  const changeFeeds: ChangeFeed[] = [];
  let closed = false;
  return {
    kysely,
    dialect,
    location,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async migrateToLatest() {
      const result = await migrator.migrateToLatest();
      if (result.error !== undefined) {
        const failed = result.results?.find((outcome) => outcome.status === 'Error')?.migrationName ?? 'unknown';
        throw new StorageError(`migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`, { cause: result.error });
      }
      return (result.results ?? []).filter((outcome) => outcome.status === 'Success').map((outcome) => outcome.migrationName);
    },
    async pendingMigrations() {
      const known = await migrator.getMigrations();
      return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
    },
    async openChangeFeed(topic) {
      const feed = await createChangeFeed(topic);
      changeFeeds.push(feed);
      return feed;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(changeFeeds.map((feed) => feed.close()));
      await stopBackgroundWork();
      await kysely.destroy();
      release();
    },
  };
}
