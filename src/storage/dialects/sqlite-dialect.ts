// SQLite, the embedded default: one file in the data folder, WAL, a busy timeout and foreign keys.
// A lock file beside it keeps a second server off the same file, since limits and caches
// are held in process and two servers would each think they own them.
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase } from 'kysely';
import * as sqliteVec from 'sqlite-vec';
import { StorageError } from '../storage-errors.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';

export interface OpenedSqlite {
  readonly dialect: SqliteDialect;
  readonly connection: BetterSqlite3.Database;
  readonly location: string;
  readonly release: () => void;
  /** Stops what runs beside the connection (the server's checkpoint worker); before closing it. */
  readonly stopBackgroundWork: () => Promise<void>;
}

function ensureWritableFolder(dataDir: string): string {
  const folder = resolve(dataDir);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new StorageError(`the data folder ${folder} is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'}); choose another with --data or fix its permissions`);
  }
  return folder;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the server lock on a SQLite file; a lock left by a process that has died is taken over. */
function acquireServerLock(databasePath: string): () => void {
  const lockPath = `${databasePath}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const descriptor = openSync(lockPath, 'wx');
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processIsAlive(holder)) {
        throw new StorageError(
          `another Modelmart server (pid ${holder}) is already using ${databasePath}; stop it, use another --data folder, or use PostgreSQL (--database-url) to run several servers`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new StorageError(`could not take the lock ${lockPath}`);
}

export function openSqlite(dataDir: string, options: { readonly exclusive: boolean }): OpenedSqlite {
  const folder = ensureWritableFolder(dataDir);
  const location = join(folder, 'modelmart.db');
  const release = options.exclusive ? acquireServerLock(location) : () => undefined;
  let connection: BetterSqlite3.Database;
  try {
    connection = new BetterSqlite3(location);
    connection.pragma('journal_mode = WAL');
    connection.pragma('busy_timeout = 5000');
    connection.pragma('foreign_keys = ON');
    connection.pragma('synchronous = NORMAL');
    loadVectorSearch(connection);
  } catch (error) {
    release();
    throw new StorageError(`cannot open SQLite database ${location}: ${(error as Error).message}`);
  }
  // The server (the one exclusive user of the file) takes its checkpoints off the event loop; a
  // short-lived command keeps SQLite's automatic ones.
  const checkpointer = options.exclusive
    ? startSqliteCheckpointer(connection, location, (error) => {
        process.emitWarning(`the SQLite checkpoint worker stopped (${error.message}); checkpoints run on the server's connection again`, { code: 'MODELMART_SQLITE_CHECKPOINTER' });
      })
    : undefined;
  return {
    dialect: new SqliteDialect({ database: withStatementCache(connection) }),
    connection,
    location,
    release,
    stopBackgroundWork: async () => checkpointer?.stop(),
  };
}

// Vector search for GPT knowledge: the sqlite-vec extension. Without it (a platform it has no
// build for) knowledge search is full text only; `select vec_version()` tells whether it loaded.
function loadVectorSearch(connection: BetterSqlite3.Database): void {
  try {
    sqliteVec.load(connection);
  } catch (error) {
    process.emitWarning(`sqlite-vec could not be loaded (${(error as Error).message}); GPT knowledge search is full text only`, { code: 'MODELMART_VECTOR_SEARCH_OFF' });
  }
}

// better-sqlite3 compiles a statement on every prepare, and Kysely prepares on every query; the
// same SQL text comes back all the time (lookups, the ledger's batch inserts), so compiled
// statements are kept, least recently used dropped first. A statement is reusable once it ran.
const cachedStatementLimit = 500;

function withStatementCache(connection: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = connection.prepare(sql);
        if (statements.size >= cachedStatementLimit) {
          const oldest = statements.keys().next();
          if (oldest.done !== true) statements.delete(oldest.value);
        }
      } else {
        // Move to the back: most recently used.
        statements.delete(sql);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
