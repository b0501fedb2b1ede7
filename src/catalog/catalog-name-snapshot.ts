// A snapshot of the catalogue that the gateway reads on every request (the licence gate's and the
// pricing index's name maps), rebuilt from the database at most once per maximum age. Once a
// snapshot exists, requests never wait for a rebuild: the one that finds it old starts a single
// rebuild and every request meanwhile is answered from the old snapshot. Before, each request
// arriving during a rebuild started its own read of every card: under load on PostgreSQL that was
// dozens of full-catalogue reads every few seconds (measured: 47 scans of ~600 cards in 5 s).
import type { Logger } from '../core/index.js';

export class CatalogNameSnapshot<Snapshot> {
  private current: Snapshot | undefined;
  private builtAt = 0;
  private rebuilding: Promise<Snapshot> | undefined;
  /** Bumped by invalidate, so a rebuild that started before it does not install an older snapshot. */
  private generation = 0;

  constructor(
    private readonly build: () => Promise<Snapshot>,
    private readonly maxAgeMilliseconds: number,
    private readonly logger: Pick<Logger, 'error'> | undefined = undefined,
  ) {}

  /** The snapshot; waits only when there is none yet (first use, or after invalidate). */
  async get(): Promise<Snapshot> {
    const snapshot = this.current;
    if (snapshot === undefined) return this.rebuild();
    if (Date.now() - this.builtAt >= this.maxAgeMilliseconds && this.rebuilding === undefined) {
      this.rebuild().catch((error: unknown) => this.logger?.error({ err: error }, 'catalogue: refreshing the gateway index failed; the previous one stays in use'));
    }
    return snapshot;
  }

  /** Forgets the snapshot: this server's own catalogue changes apply to the next request. */
  invalidate(): void {
    this.generation += 1;
    this.current = undefined;
    this.rebuilding = undefined;
  }

  private rebuild(): Promise<Snapshot> {
    if (this.rebuilding !== undefined) return this.rebuilding;
    const generation = this.generation;
    const rebuilding = this.build().then(
      (snapshot) => {
        if (generation === this.generation) {
          this.current = snapshot;
          this.builtAt = Date.now();
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
