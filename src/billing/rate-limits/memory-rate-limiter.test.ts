import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter-factory.js';
import type { LimitCheck, LimitDecision } from './rate-limit-contract.js';

describe('memory rate limiter', () => {
  it('is the default without a Redis URL', async () => {
    const limiter = createRateLimiter({});
    expect(limiter.backend).toBe('memory');
    expect(limiter.failOpenCount).toBe(0);
    await limiter.close();
  });

  it('never admits more than the limit under many parallel admits', async () => {
    // Time held still, so no refill blurs the count.
    const limiter = createRateLimiter({ clock: { now: () => new Date(0), monotonicMilliseconds: () => 0 } });
    const checks: LimitCheck[] = [
      { scope: 'key:key_a', limit: { requestsPerMinute: 1000, tokensPerMinute: 100_000 } },
      { scope: 'organisation:org_1', limit: { requestsPerMinute: 500 } },
    ];
    const decisions = await Promise.all(Array.from({ length: 2000 }, () => limiter.admit(checks, 150)));
    const admitted = decisions.filter((decision) => decision.allowed).length;
    // The organisation allows 500 requests; tokens allow 666 of 150 each: requests bind first.
    expect(admitted).toBe(500);
    const refused = decisions.find((decision) => !decision.allowed);
    expect(refused?.exceeded).toMatchObject({ scope: 'organisation:org_1', kind: 'requests', limit: 500 });
    await limiter.close();
  });

  it('is fair across keys: a flood on key A at 20x its limit does not touch key B', async () => {
    const limiter = createRateLimiter({});
    const limit = { requestsPerMinute: 50 };
    const keyA: LimitCheck[] = [{ scope: 'key:key_a', limit }];
    const keyB: LimitCheck[] = [{ scope: 'key:key_b', limit }];
    const flood: Promise<LimitDecision>[] = [];
    const calm: Promise<LimitDecision>[] = [];
    // Interleaved, as they would arrive: B's requests come in the middle of A's flood.
    for (let index = 0; index < 1000; index += 1) {
      flood.push(limiter.admit(keyA, 0));
      if (index % 25 === 0) calm.push(limiter.admit(keyB, 0));
    }
    const [floodDecisions, calmDecisions] = await Promise.all([Promise.all(flood), Promise.all(calm)]);
    const refusedA = floodDecisions.filter((decision) => !decision.allowed);
    expect(refusedA.length).toBeGreaterThanOrEqual(949);
    expect(refusedA.every((decision) => decision.exceeded?.scope === 'key:key_a')).toBe(true);
    expect(calmDecisions.every((decision) => decision.allowed)).toBe(true);
    await limiter.close();
  });
});
