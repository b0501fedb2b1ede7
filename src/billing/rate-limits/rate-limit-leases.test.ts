// Leases on shared buckets, on a real Redis: far from a limit many admits share one take, near it
// two replicas still admit exactly what the bucket holds, and chunks go back on close.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTestUrl } from '../../../test/support/test-databases.js';
import type { LimitCheck } from './rate-limit-contract.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const url = redisTestUrl();

describe.skipIf(url === undefined)('rate-limit leases on Redis', () => {
  const prefix = `modelmart-test:${randomUUID()}:`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(url as string);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const level = async (name: string): Promise<number> => Number(await redis.hget(`${prefix}${name}`, 'level'));

  it('admits many requests from one chunk, far from the limit', async () => {
    const limiter = new RedisRateLimiter({ redisUrl: url as string, keyPrefix: prefix });
    const checks: LimitCheck[] = [{ scope: 'key:busy', limit: { requestsPerMinute: 20_000, tokensPerMinute: 1_000_000_000 } }];
    // The first admit learns the levels; the next takes chunks of 1,024 requests' worth.
    for (let index = 0; index < 2; index += 1) expect((await limiter.admit(checks, 100)).allowed).toBe(true);
    const decisions = await Promise.all(Array.from({ length: 1_000 }, async () => limiter.admit(checks, 100)));
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(limiter.sharedTakeCount).toBeLessThanOrEqual(3);
    // Headers come from the local view: the shared level plus this server's chunk, less what it used.
    expect(Number(decisions.at(-1)?.headers['x-ratelimit-remaining-requests'])).toBeGreaterThan(20_000 - 1_010);
    await limiter.close();
    // On close the unused chunk went back: 1,002 requests taken, less a refill of 1 every 3 ms.
    expect(await level('requests:key:busy')).toBeGreaterThanOrEqual(20_000 - 1_002);
    expect(await level('requests:key:busy')).toBeLessThan(20_000 - 700);
  });

  it('two replicas admit exactly what the bucket holds once it runs low', async () => {
    const replicas = [new RedisRateLimiter({ redisUrl: url as string, keyPrefix: prefix }), new RedisRateLimiter({ redisUrl: url as string, keyPrefix: prefix })];
    // 6,000 a minute refills 0.1 per millisecond: a run of under a second adds at most ~100.
    const checks: LimitCheck[] = [{ scope: 'key:shared-chunks', limit: { requestsPerMinute: 6_000 } }];
    for (const replica of replicas) for (let index = 0; index < 3; index += 1) expect((await replica.admit(checks, 0)).allowed).toBe(true);
    const started = performance.now();
    const decisions = await Promise.all(Array.from({ length: 8_000 }, async (_, index) => replicas[index % 2]?.admit(checks, 0)));
    const elapsed = performance.now() - started;
    const admitted = decisions.filter((decision) => decision?.allowed === true).length;
    expect(admitted).toBeGreaterThanOrEqual(6_000 - 6);
    expect(admitted).toBeLessThanOrEqual(6_000 - 6 + Math.ceil((elapsed * 6_000) / 60_000) + 1);
    expect(decisions.filter((decision) => decision?.allowed === false).every((decision) => decision?.exceeded?.scope === 'key:shared-chunks')).toBe(true);
    await Promise.all(replicas.map(async (replica) => replica.close()));
  });
});
