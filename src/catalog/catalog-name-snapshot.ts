// A snapshot of the catalogue that the gateway reads on every request (the licence gate's and the
// pricing index's name maps), rebuilt from the database at most once per maximum age. Once a
// snapshot exists, requests never wait for a rebuild: the one that finds it old starts a single
// rebuild and every request meanwhile is answered from the old snapshot. Before, each request
// arriving during a rebuild started its own read of every card: under load on PostgreSQL that was
// dozens of full-catalogue reads every few seconds (measured: 47 scans of ~600 cards in 5 s).
// With a version source (the catalogue's version setting, bumped by every catalogue write on any
// server), an old snapshot is first checked against it: one small read, and the full read only
// when the catalogue changed. Reading every card every 5 s cost each request about 10 µs of CPU
// under load (JSON of ~700 cards parsed twice, once per index).
import type { Logger } from '../core/index.js';

// Even with an unchanged version a snapshot is rebuilt now and then, in case a write ever reached
// the tables without bumping the version (a hand edit in the database, say).
const fullRebuildMilliseconds = 10 * 60_000;

/** Where a snapshot comes from: its build, and optionally a version that changes whenever its data does. */
export interface SnapshotSource<Snapshot> {
  build(): Promise<Snapshot>;
  version?(): Promise<string>;
}

export class CatalogNameSnapshot<Snapshot> {
  private current: Snapshot | undefined;
  /** When the snapshot was last known current (built, or its version checked). */
  private checkedAt = 0;
  private builtAt = 0;
  private builtVersion: string | undefined;
  private rebuilding: Promise<Snapshot> | undefined;
  private readonly build: () => Promise<Snapshot>;
  private readonly version: (() => Promise<string>) | undefined;
  /** Bumped by invalidate, so a rebuild that started before it does not install an older snapshot. */
  private generation = 0;

  constructor(
    source: SnapshotSource<Snapshot> | (() => Promise<Snapshot>),
    private readonly maxAgeMilliseconds: number,
    private readonly logger: Pick<Logger, 'error'> | undefined = undefined,
  ) {
    if (typeof source === 'function') {
      this.build = source;
      this.version = undefined;
    } else {
      this.build = source.build.bind(source);
      this.version = source.version?.bind(source);
    }
  }

  /** The snapshot; waits only when there is none yet (first use, or after invalidate). */
  async get(): Promise<Snapshot> {
    const snapshot = this.current;
    if (snapshot === undefined) return this.rebuild();
    if (Date.now() - this.checkedAt >= this.maxAgeMilliseconds && this.rebuilding === undefined) {
      this.refresh().catch((error: unknown) => this.logger?.error({ err: error }, 'catalogue: refreshing the gateway index failed; the previous one stays in use'));
    }
    return snapshot;
  }

  /** Forgets the snapshot: this server's own catalogue changes apply to the next request. */
  invalidate(): void {
    this.generation += 1;
    this.current = undefined;
    this.rebuilding = undefined;
  }

  /** An old snapshot: kept when its version still holds, else rebuilt; one refresh at a time. */
  private refresh(): Promise<Snapshot> {
    const { version } = this;
    if (version === undefined || this.builtVersion === undefined || Date.now() - this.builtAt >= fullRebuildMilliseconds) return this.rebuild();
    const generation = this.generation;
    const done = (): void => {
      if (this.rebuilding === refreshing) this.rebuilding = undefined;
    };
    const refreshing: Promise<Snapshot> = version().then(
      (current) => {
        done();
        // Unchanged, and not invalidated meanwhile: the snapshot stays for another interval.
        if (generation === this.generation && current === this.builtVersion && this.current !== undefined) {
          this.checkedAt = Date.now();
          return this.current;
        }
        return this.rebuild();
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
    this.rebuilding = refreshing;
    return refreshing;
  }

  private rebuild(): Promise<Snapshot> {
    if (this.rebuilding !== undefined) return this.rebuilding;
    const generation = this.generation;
    const { version } = this;
    // The version is read before the cards: a change made during the build leaves it older than
    // the catalogue, so the next check rebuilds again rather than keeping a stale snapshot.
    const rebuilding = (async () => {
      const builtVersion = version === undefined ? undefined : await version();
      return { snapshot: await this.build(), builtVersion };
    })().then(
      ({ snapshot, builtVersion }) => {
        if (generation === this.generation) {
          this.current = snapshot;
          this.builtVersion = builtVersion;
          this.builtAt = Date.now();
          this.checkedAt = this.builtAt;
          this.rebuilding = undefined;
        }
        return snapshot;
      },
      (error: unknown) => {
        if (generation === this.generation) this.rebuilding = undefined;
        throw error;
      },
    );
    this.rebuilding = rebuilding;
    return rebuilding;
  }
}
