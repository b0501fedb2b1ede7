import { describe, expect, it } from 'vitest';
import { GroupCommitWriter } from './billing-group-writer.js';

describe('GroupCommitWriter', () => {
  it('writes items made in one tick as one batch; write answers each its own result', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommitWriter<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((item) => item * 10);
    });
    const answers = await Promise.all([writer.write(1), writer.write(2), writer.write(3)]);
    expect(answers).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('append shares its batch promise and hands each result to the hook, in order, before that promise resolves', async () => {
    const seen: [number, number | undefined, unknown][] = [];
    const writer = new GroupCommitWriter<number, number>(
      async (items) => items.map((item) => item + 100),
      1_000,
      0,
      (item, result, error) => seen.push([item, result, error]),
    );
    const first = writer.append(1);
    const second = writer.append(2);
    const written = writer.write(3);
    expect(second).toBe(first);
    await first;
    expect(seen).toEqual([
      [1, 101, undefined],
      [2, 102, undefined],
    ]);
    expect(await written).toBe(103);
  });

  it('a bad item fails alone: the others of its batch are written one by one and keep their results', async () => {
    const seen: [number, number | undefined, string | undefined][] = [];
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        if (items.includes(13)) throw new Error('row 13 is refused');
        return items.map((item) => item);
      },
      1_000,
      0,
      (item, result, error) => seen.push([item, result, error instanceof Error ? error.message : undefined]),
    );
    const shared = writer.append(12);
    writer.append(13);
    const own = writer.write(14);
    await expect(shared).resolves.toBeUndefined();
    await expect(own).resolves.toBe(14);
    expect(seen).toEqual([
      [12, 12, undefined],
      [13, undefined, 'row 13 is refused'],
    ]);

    const failing = writer.write(13);
    await expect(failing).rejects.toThrow('row 13 is refused');
  });

  it('under a window, items arriving while a batch waits join it; flush waits for all of them', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommitWriter<number, boolean>(
      async (items) => {
        batches.push([...items]);
        return items.map(() => true);
      },
      1_000,
      30,
    );
    await writer.append(1);
    for (let item = 2; item <= 5; item += 1) void writer.append(item);
    await writer.flush();
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('a batch longer than the maximum is cut; every appended item still gets its result and its promise resolves after it', async () => {
    const seen: number[] = [];
    const batches: number[] = [];
    const writer = new GroupCommitWriter<number, number>(
      async (items) => {
        batches.push(items.length);
        return [...items];
      },
      2,
      0,
      (item) => seen.push(item),
    );
    const promises = [1, 2, 3, 4, 5].map((item) => writer.append(item));
    await Promise.all(promises);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([2, 2, 1]);
  });
});
