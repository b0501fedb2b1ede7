import { afterEach, describe, expect, it, vi } from 'vitest';
import { CatalogNameSnapshot } from './catalog-name-snapshot.js';

/** A build whose every call waits until the test releases it, counting the calls. */
function controlledBuild() {
  const pending: ((value: string) => void)[] = [];
  let calls = 0;
  const build = async (): Promise<string> => {
    calls += 1;
    const call = calls;
    return new Promise<string>((resolve) => pending.push(() => resolve(`snapshot ${call}`)));
  };
  return {
    build,
    calls: () => calls,
    finishAll: () => {
      for (const finish of pending.splice(0)) finish('');
    },
  };
}

/** Fake timers, and a snapshot whose first build has finished ('snapshot 1'). */
async function builtSnapshot() {
  vi.useFakeTimers();
  const controlled = controlledBuild();
  const snapshot = new CatalogNameSnapshot(controlled.build, 5_000);
  const first = snapshot.get();
  controlled.finishAll();
  expect(await first).toBe('snapshot 1');
  return { controlled, snapshot };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CatalogNameSnapshot', () => {
  it('builds once for many requests arriving before the first snapshot exists', async () => {
    const controlled = controlledBuild();
    const snapshot = new CatalogNameSnapshot(controlled.build, 5_000);
    const answers = Array.from({ length: 50 }, async () => snapshot.get());
    controlled.finishAll();
    expect(new Set(await Promise.all(answers))).toEqual(new Set(['snapshot 1']));
    expect(controlled.calls()).toBe(1);
  });

  it('answers from the old snapshot while one background rebuild runs, then from the new one', async () => {
    const { controlled, snapshot } = await builtSnapshot();
    vi.advanceTimersByTime(5_001);
    // Every request during the rebuild gets the old snapshot at once; only one rebuild starts.
    const during = await Promise.all(Array.from({ length: 40 }, async () => snapshot.get()));
    expect(new Set(during)).toEqual(new Set(['snapshot 1']));
    expect(controlled.calls()).toBe(2);

    controlled.finishAll();
    await vi.waitFor(async () => expect(await snapshot.get()).toBe('snapshot 2'));
    expect(controlled.calls()).toBe(2);
  });

  it('after invalidate, waits for a fresh build and ignores a rebuild that began before it', async () => {
    const { controlled, snapshot } = await builtSnapshot();
    vi.advanceTimersByTime(5_001);
    await snapshot.get(); // starts background rebuild 2
    snapshot.invalidate();
    const afterChange = snapshot.get(); // must not be answered by rebuild 2
    expect(controlled.calls()).toBe(3);
    controlled.finishAll();
    expect(await afterChange).toBe('snapshot 3');
    expect(await snapshot.get()).toBe('snapshot 3');
  });

  it('keeps the old snapshot when a background rebuild fails, logs it, and tries again later', async () => {
    vi.useFakeTimers();
    let fail = false;
    let calls = 0;
    const errors: unknown[] = [];
    const snapshot = new CatalogNameSnapshot(
      async () => {
        calls += 1;
        if (fail) throw new Error('database gone');
        return `snapshot ${calls}`;
      },
      5_000,
      { error: (details: unknown) => errors.push(details) },
    );
    expect(await snapshot.get()).toBe('snapshot 1');
    fail = true;
    vi.advanceTimersByTime(5_001);
    expect(await snapshot.get()).toBe('snapshot 1');
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    fail = false;
    expect(await snapshot.get()).toBe('snapshot 1');
    await vi.waitFor(async () => expect(await snapshot.get()).toBe('snapshot 3'));
  });

  it('a failed first build is not remembered: the next request builds again', async () => {
    let calls = 0;
    const snapshot = new CatalogNameSnapshot(async () => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      return 'ready';
    }, 5_000);
    await expect(snapshot.get()).rejects.toThrow('not yet');
    expect(await snapshot.get()).toBe('ready');
  });

  describe('with a version source', () => {
    /** A catalogue whose version the test moves; counts builds and version reads. */
    function versionedSource() {
      const state = { version: 'v1', builds: 0, versionReads: 0, failVersion: false };
      const source = {
        build: async () => {
          state.builds += 1;
          return `snapshot ${state.builds} of ${state.version}`;
        },
        version: async () => {
          state.versionReads += 1;
          if (state.failVersion) throw new Error('database gone');
          return state.version;
        },
      };
      return { state, source };
    }

    it('keeps the snapshot while the version holds: one small read per interval, no full rebuild', async () => {
      vi.useFakeTimers();
      const { state, source } = versionedSource();
      const snapshot = new CatalogNameSnapshot(source, 5_000);
      expect(await snapshot.get()).toBe('snapshot 1 of v1');
      for (let interval = 0; interval < 5; interval += 1) {
        vi.advanceTimersByTime(5_001);
        await Promise.all(Array.from({ length: 20 }, async () => snapshot.get()));
        await vi.waitFor(() => expect(state.versionReads).toBe(interval + 2));
      }
      expect(state.builds).toBe(1);
      expect(await snapshot.get()).toBe('snapshot 1 of v1');
    });

    it('rebuilds once another server changed the catalogue (the version moved), serving the old snapshot meanwhile', async () => {
      vi.useFakeTimers();
      const { state, source } = versionedSource();
      const snapshot = new CatalogNameSnapshot(source, 5_000);
      await snapshot.get();
      state.version = 'v2';
      // Within the interval nothing is read: the old snapshot answers.
      expect(await snapshot.get()).toBe('snapshot 1 of v1');
      expect(state.versionReads).toBe(1);
      vi.advanceTimersByTime(5_001);
      expect(await snapshot.get()).toBe('snapshot 1 of v1');
      await vi.waitFor(async () => expect(await snapshot.get()).toBe('snapshot 2 of v2'));
      expect(state.builds).toBe(2);
    });

    it('a change made while a build runs is picked up at the next check (the version is read before the cards)', async () => {
      vi.useFakeTimers();
      const state = { version: 'v1', builds: 0 };
      let releaseBuild: () => void = () => undefined;
      const snapshot = new CatalogNameSnapshot(
        {
          build: async () => {
            state.builds += 1;
            const build = state.builds;
            if (build === 1) await new Promise<void>((resolve) => (releaseBuild = resolve));
            // The catalogue as read: whatever the version is by the time the cards are read.
            return `snapshot ${build} of ${state.version}`;
          },
          version: async () => state.version,
        },
        5_000,
      );
      const first = snapshot.get();
      await vi.waitFor(() => expect(state.builds).toBe(1));
      state.version = 'v2';
      releaseBuild();
      expect(await first).toBe('snapshot 1 of v2');
      vi.advanceTimersByTime(5_001);
      await snapshot.get();
      // Built under v1's reading, so v2 counts as a change and the index is rebuilt.
      await vi.waitFor(async () => expect(await snapshot.get()).toBe('snapshot 2 of v2'));
    });

    it('a failed version read keeps the snapshot, is logged, and is tried again by a later request', async () => {
      vi.useFakeTimers();
      const { state, source } = versionedSource();
      const errors: unknown[] = [];
      const snapshot = new CatalogNameSnapshot(source, 5_000, { error: (details: unknown) => errors.push(details) });
      await snapshot.get();
      state.failVersion = true;
      vi.advanceTimersByTime(5_001);
      expect(await snapshot.get()).toBe('snapshot 1 of v1');
      await vi.waitFor(() => expect(errors).toHaveLength(1));
      state.failVersion = false;
      state.version = 'v2';
      await snapshot.get();
      await vi.waitFor(async () => expect(await snapshot.get()).toBe('snapshot 2 of v2'));
    });

    it('rebuilds after ten minutes even when the version never moved', async () => {
      vi.useFakeTimers();
      const { state, source } = versionedSource();
      const snapshot = new CatalogNameSnapshot(source, 5_000);
      await snapshot.get();
      vi.advanceTimersByTime(10 * 60_000 + 1);
      await snapshot.get();
      await vi.waitFor(() => expect(state.builds).toBe(2));
    });
  });
});
