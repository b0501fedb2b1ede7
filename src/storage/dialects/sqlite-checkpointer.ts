// The server's WAL checkpoints, taken in a worker thread on a connection of its own. SQLite's
// automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, on the connection that
// commits: with better-sqlite3 that is the event loop, which then copies every page back to the
// database file and waits for two fsyncs. Measured under the metering benchmark: a few such
// commits every 10 s, up to 22 ms each, about 110 ms of a stalled event loop in all. Here the
// server's connection never checkpoints and the worker checkpoints (PASSIVE: never blocking a
// writer or a reader) every half second; if the worker fails, the connection checkpoints again.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const checkpointIntervalMilliseconds = 500;
// SQLite's own default, given back to the server's connection when the worker is gone.
const automaticCheckpointPages = 1_000;
// A burst of writes between two checkpoints (the first start's catalogue import writes about
// 20 MB of WAL frames) would leave the WAL file that large for good: once the worker has copied
// it all, the next commit starts the WAL over and cuts the file back to this.
const walSizeLimitBytes = 4 * 1024 * 1024;

// The worker's code, as a CommonJS script (evaluated, so no build step or loader is needed for it):
// it opens the same file, checkpoints on a timer, and closes its connection when asked to stop.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const connection = new Database(workerData.location);
connection.pragma('busy_timeout = 5000');
const checkpoint = connection.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.run(), workerData.intervalMilliseconds);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint.run();
  connection.close();
  parentPort.close();
});
`;

export interface SqliteCheckpointer {
  /** Stops the worker and closes its connection; call before closing the server's connection. */
  stop(): Promise<void>;
}

/**
 * Turns the connection's automatic checkpoints off and takes them in a worker thread instead.
 * `onFailure` hears of a worker that could not start or died (the connection checkpoints again).
 */
export function startSqliteCheckpointer(connection: BetterSqlite3.Database, location: string, onFailure: (error: Error) => void): SqliteCheckpointer {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { driverPath, location, intervalMilliseconds: checkpointIntervalMilliseconds } });
  // A server stopping without close() must not wait for the worker's timer.
  worker.unref();
  connection.pragma('wal_autocheckpoint = 0');
  connection.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
  });
  worker.on('error', (error) => {
    if (!connection.open) return;
    connection.pragma(`wal_autocheckpoint = ${automaticCheckpointPages}`);
    if (!stopping) onFailure(error);
  });
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Referenced again, so the process waits for the worker's exit instead of ending (with
      // exit code 0) while close() awaits an unreferenced worker.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
