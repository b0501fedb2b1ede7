import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/index.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { LimitCheck } from './rate-limit-contract.js';
import { refilledLevel } from './token-bucket.js';

class HeldClock implements Clock {
  milliseconds = 1_000_000;
  now(): Date {
    return new Date(this.milliseconds);
  }
  monotonicMilliseconds(): number {
    return this.milliseconds;
  }
  advance(milliseconds: number): void {
    this.milliseconds += milliseconds;
  }
}

function setup(): { clock: HeldClock; limiter: MemoryRateLimiter } {
  const clock = new HeldClock();
  return { clock, limiter: new MemoryRateLimiter({ clock }) };
}

const perKey = (limit: LimitCheck['limit']): LimitCheck[] => [{ scope: 'key:key_a', limit }];

async function admitMany(limiter: MemoryRateLimiter, checks: readonly LimitCheck[], count: number, tokens = 0): Promise<number> {
  let admitted = 0;
  for (let index = 0; index < count; index += 1) if ((await limiter.admit(checks, tokens)).allowed) admitted += 1;
  return admitted;
}

describe('token bucket arithmetic', () => {
  it('refills at limit/60 per second and never above the limit', () => {
    expect(refilledLevel(0, 1000, 60)).toBe(1);
    expect(refilledLevel(0, 500, 60)).toBe(0.5);
    expect(refilledLevel(10, 3_600_000, 60)).toBe(60);
    expect(refilledLevel(90, 0, 60)).toBe(60);
    expect(refilledLevel(-30, 30_000, 60)).toBe(0);
  });
});

describe('memory limiter bucket math (held clock)', () => {
  it('starts full: exactly the limit is admitted at once, then one more per refill interval', async () => {
    const { clock, limiter } = setup();
    const checks = perKey({ requestsPerMinute: 60 });
    expect(await admitMany(limiter, checks, 100)).toBe(60);
    clock.advance(999);
    expect((await limiter.admit(checks, 0)).allowed).toBe(false);
    clock.advance(1);
    expect((await limiter.admit(checks, 0)).allowed).toBe(true);
    expect((await limiter.admit(checks, 0)).allowed).toBe(false);
    clock.advance(10_000);
    expect(await admitMany(limiter, checks, 20)).toBe(10);
  });

  it('refills partially: half an interval gives half a request, which is not enough', async () => {
    const { clock, limiter } = setup();
    const checks = perKey({ tokensPerMinute: 600 });
    expect((await limiter.admit(checks, 600)).allowed).toBe(true);
    clock.advance(3000);
    // 3 s at 10 tokens/s = 30 tokens.
    expect((await limiter.admit(checks, 31)).allowed).toBe(false);
    const decision = await limiter.admit(checks, 30);
    expect(decision.allowed).toBe(true);
    expect(decision.headers['x-ratelimit-remaining-tokens']).toBe('0');
  });

  it('says precisely when the refused bucket has room', async () => {
    const { clock, limiter } = setup();
    const checks = perKey({ requestsPerMinute: 60, tokensPerMinute: 1000 });
    expect((await limiter.admit(checks, 1000)).allowed).toBe(true);
    const refused = await limiter.admit(checks, 30);
    expect(refused.allowed).toBe(false);
    // 30 tokens at 1000/60 per second: 1.8 s.
    expect(refused.retryAfterSeconds).toBe(1.8);
    expect(refused.exceeded).toEqual({ scope: 'key:key_a', kind: 'tokens', limit: 1000, used: 1000, requested: 30 });
    clock.advance(1799);
    expect((await limiter.admit(checks, 30)).retryAfterSeconds).toBe(0.001);
    clock.advance(1);
    expect((await limiter.admit(checks, 30)).allowed).toBe(true);
  });

  it('at the capacity edge: a cost equal to the limit fits a full bucket only', async () => {
    const { clock, limiter } = setup();
    const checks = perKey({ tokensPerMinute: 500 });
    expect((await limiter.admit(checks, 500)).allowed).toBe(true);
    clock.advance(59_999);
    expect((await limiter.admit(checks, 500)).allowed).toBe(false);
    clock.advance(1);
    expect((await limiter.admit(checks, 500)).allowed).toBe(true);
  });

  it('refuses a token estimate larger than the limit with no retry time, whatever the wait', async () => {
    const { clock, limiter } = setup();
    const checks = perKey({ tokensPerMinute: 1000 });
    clock.advance(3_600_000);
    const decision = await limiter.admit(checks, 1001);
    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterSeconds).toBeUndefined();
    expect(decision.exceeded).toMatchObject({ kind: 'tokens', limit: 1000, requested: 1001 });
    // Nothing was taken.
    expect((await limiter.admit(checks, 1000)).allowed).toBe(true);
  });

  it('takes from every bucket or from none', async () => {
    const { limiter } = setup();
    const key = { scope: 'key:key_a', limit: { requestsPerMinute: 100 } };
    const model = { scope: 'model:gpt-4o', limit: { requestsPerMinute: 2 } };
    expect(await admitMany(limiter, [key, model], 5)).toBe(2);
    // The key's bucket lost only the two admitted requests.
    expect((await limiter.admit([key], 0)).headers['x-ratelimit-remaining-requests']).toBe('97');
  });

  it('adjusts tokens after the request: gives back unused ones, takes extra ones below zero', async () => {
    const { clock, limiter } = setup();
    const checks = perKey({ tokensPerMinute: 600 });
    expect((await limiter.admit(checks, 500)).allowed).toBe(true);
    await limiter.adjustTokens(checks, -400);
    expect((await limiter.admit(checks, 500)).allowed).toBe(true);
    await limiter.adjustTokens(checks, 300);
    // 0 - 300 = -300: 100 tokens need 400 of refill, 40 s at 10/s.
    const refused = await limiter.admit(checks, 100);
    expect(refused.retryAfterSeconds).toBe(40);
    expect(refused.exceeded?.used).toBe(900);
    clock.advance(40_000);
    expect((await limiter.admit(checks, 100)).allowed).toBe(true);
    // Giving back never fills a bucket past its limit.
    await limiter.adjustTokens(checks, -10_000);
    expect((await limiter.admit(checks, 0)).headers['x-ratelimit-remaining-tokens']).toBe('600');
  });

  it('costs nothing for checks without limits: allowed, no headers, no buckets', async () => {
    const { limiter } = setup();
    const decision = await limiter.admit([{ scope: 'key:key_a', limit: {} }, { scope: 'model:m', limit: {} }], 10_000);
    expect(decision).toEqual({ allowed: true, headers: {} });
    expect(limiter.bucketCount).toBe(0);
  });

  it('refuses everything under a limit of 0', async () => {
    const { limiter } = setup();
    const decision = await limiter.admit(perKey({ requestsPerMinute: 0 }), 0);
    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterSeconds).toBeUndefined();
    expect(decision.exceeded).toMatchObject({ kind: 'requests', limit: 0 });
  });

  it('evicts buckets once they have refilled, so memory follows active scopes only', async () => {
    const { clock, limiter } = setup();
    for (let index = 0; index < 10_000; index += 1) await limiter.admit([{ scope: `key:${index}`, limit: { requestsPerMinute: 60, tokensPerMinute: 6000 } }], 10);
    expect(limiter.bucketCount).toBe(20_000);
    clock.advance(1000);
    // Each admit sweeps a step of each table: two passes over 10,000 buckets take 20,000 admits at most.
    for (let index = 0; index < 20_002; index += 1) await limiter.admit([{ scope: 'key:busy', limit: { requestsPerMinute: 1_000_000 } }], 0);
    expect(limiter.bucketCount).toBe(1);
  });
});
