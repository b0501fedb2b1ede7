import { describe, expect, it } from 'vitest';
import { SequenceQueue } from './llama-cpp-sequence-queue.js';

describe('SequenceQueue', () => {
  it('lends each resource to one holder and serves waiters in arrival order', async () => {
    const queue = new SequenceQueue(['only']);
    const first = await queue.acquire();
    const served: string[] = [];
    const second = queue.acquire().then((lease) => {
      served.push('second');
      return lease;
    });
    const third = queue.acquire().then((lease) => {
      served.push('third');
      return lease;
    });
    expect(queue.waiting).toBe(2);
    first.release();
    first.release();
    (await second).release();
    (await third).release();
    expect(served).toEqual(['second', 'third']);
    expect(queue.available).toBe(1);
  });

  it('takes an aborted waiter out of the line without giving it the resource', async () => {
    const queue = new SequenceQueue([1]);
    const holder = await queue.acquire();
    const controller = new AbortController();
    const abandoned = queue.acquire(controller.signal);
    const next = queue.acquire();
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    expect(queue.waiting).toBe(1);
    holder.release();
    const lease = await next;
    expect(lease.resource).toBe(1);
    lease.release();
  });

  it('refuses at once when the signal is already aborted, and fails waiters on shutdown', async () => {
    const queue = new SequenceQueue(['x']);
    await expect(queue.acquire(AbortSignal.abort())).rejects.toBeDefined();
    expect(queue.available).toBe(1);
    await queue.acquire();
    const waiting = queue.acquire();
    queue.rejectWaiting(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
  });
});
