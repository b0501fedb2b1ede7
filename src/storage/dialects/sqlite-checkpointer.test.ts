import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function walDatabase(): { connection: BetterSqlite3.Database; location: string } {
  const folder = mkdtempSync(join(tmpdir(), 'modelmart-checkpointer-'));
  folders.push(folder);
  const location = join(folder, 'test.db');
  const connection = new BetterSqlite3(location);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.exec('create table rows (id integer primary key, body text not null)');
  return { connection, location };
}

/** About 6 MB in WAL pages, well past SQLite's automatic checkpoint at 1,000 pages. */
function writeRows(connection: BetterSqlite3.Database): void {
  const insert = connection.prepare('insert into rows (body) values (?)');
  const body = 'x'.repeat(2_000);
  for (let batch = 0; batch < 30; batch += 1) connection.transaction(() => {
    for (let row = 0; row < 100; row += 1) insert.run(body);
  })();
}

/** Runs `check` on a WAL database with a checkpointer beside it; stops both after. */
async function withCheckpointer(check: (connection: BetterSqlite3.Database, location: string) => Promise<void>): Promise<void> {
  const { connection, location } = walDatabase();
  const checkpointer = startSqliteCheckpointer(connection, location, (error) => {
    throw error;
  });
  try {
    await check(connection, location);
  } finally {
    await checkpointer.stop();
    connection.close();
  }
}

/** Resolves once the worker has copied the rows into the database file. */
async function checkpointed(location: string): Promise<void> {
  await expect.poll(() => statSync(location).size, { timeout: 10_000, interval: 100 }).toBeGreaterThan(6_000_000);
}

describe('startSqliteCheckpointer', () => {
  it('the server connection never checkpoints; the worker copies the WAL into the database file', async () => {
    await withCheckpointer(async (connection, location) => {
      expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const sizeBefore = statSync(location).size;
      writeRows(connection);
      // Nothing was copied by the commits themselves.
      expect(statSync(location).size).toBe(sizeBefore);
      await checkpointed(location);
      expect(connection.prepare('select count(*) from rows').pluck().get()).toBe(3_000);
    });
  });

  it("the worker's checkpoints do not look like another server's writes (data_version holds)", async () => {
    await withCheckpointer(async (connection, location) => {
      writeRows(connection);
      const version = connection.pragma('data_version', { simple: true });
      await checkpointed(location);
      expect(connection.pragma('data_version', { simple: true })).toBe(version);
    });
  });

  it('cuts the WAL file back to 4 MB once it has been copied, at the next commit', async () => {
    await withCheckpointer(async (connection, location) => {
      writeRows(connection);
      expect(statSync(`${location}-wal`).size).toBeGreaterThan(6_000_000);
      const insert = connection.prepare('insert into rows (body) values (?)');
      // Each commit after the worker's checkpoint has finished starts the WAL over.
      await expect
        .poll(
          () => {
            insert.run('one more');
            return statSync(`${location}-wal`).size;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBeLessThanOrEqual(4 * 1024 * 1024);
    });
  });

  it('stop closes the worker, and stopping twice is harmless', async () => {
    const { connection, location } = walDatabase();
    const checkpointer = startSqliteCheckpointer(connection, location, (error) => {
      throw error;
    });
    await checkpointer.stop();
    await checkpointer.stop();
    writeRows(connection);
    connection.close();
  });

  it('a worker that cannot open the file gives the connection its automatic checkpoints back and reports it', async () => {
    const { connection } = walDatabase();
    const failures: Error[] = [];
    // A folder is not a database: the worker fails to open it.
    const checkpointer = startSqliteCheckpointer(connection, tmpdir(), (error) => failures.push(error));
    await expect.poll(() => failures.length, { timeout: 10_000 }).toBe(1);
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    await checkpointer.stop();
    connection.close();
  });
});
