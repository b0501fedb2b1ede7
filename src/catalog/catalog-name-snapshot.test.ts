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
    vi.useFakeTimers();
    const controlled = controlledBuild();
    const snapshot = new CatalogNameSnapshot(controlled.build, 5_000);
    const first = snapshot.get();
    controlled.finishAll();
    expect(await first).toBe('snapshot 1');

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
    vi.useFakeTimers();
    const controlled = controlledBuild();
    const snapshot = new CatalogNameSnapshot(controlled.build, 5_000);
    const first = snapshot.get();
    controlled.finishAll();
    await first;
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
});
