import { connect, createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTestUrl } from '../../../test/support/test-databases.js';
import type { LimitCheck, LimitDecision, ObservableRateLimiter } from './rate-limit-contract.js';
import { createRateLimiter } from './rate-limiter-factory.js';

const url = redisTestUrl();

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('Redis rate limiter, when Redis is down', () => {
  it('fails open: admits, counts each one and warns at most once a minute', async () => {
    const warnings: unknown[] = [];
    const limiter = createRateLimiter({
      redisUrl: `redis://127.0.0.1:${await closedPort()}`,
      logger: { warn: (...args: unknown[]) => void warnings.push(args) },
    });
    const checks: LimitCheck[] = [{ scope: 'key:key_a', limit: { requestsPerMinute: 1 } }];
    const started = performance.now();
    const decisions: LimitDecision[] = [];
    for (let index = 0; index < 5; index += 1) decisions.push(await limiter.admit(checks, 10));
    await limiter.adjustTokens([{ scope: 'key:key_a', limit: { tokensPerMinute: 10 } }], 5);
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(limiter.failOpenCount).toBe(6);
    expect(warnings).toHaveLength(1);
    // The first admit may wait for the refused connection; none waits for a timeout.
    expect(performance.now() - started).toBeLessThan(900);
    await limiter.close();
  });

  it('does not consult Redis for checks without limits', async () => {
    const limiter = createRateLimiter({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, logger: { warn: () => undefined } });
    for (let index = 0; index < 20; index += 1) expect(await limiter.admit([{ scope: 'key:free', limit: {} }], 100)).toEqual({ allowed: true, headers: {} });
    expect(limiter.failOpenCount).toBe(0);
    await limiter.close();
  });
});

/** A TCP relay to Redis that can be cut and restored, to play a Redis outage on a real Redis. */
async function relayTo(target: URL): Promise<{ readonly url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  async function listen(): Promise<void> {
    const listening = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve));
    const address = listening.address();
    if (address !== null && typeof address !== 'string') port = address.port;
    server = listening;
  }
  async function cut(): Promise<void> {
    const stopping = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (stopping !== undefined) await new Promise<void>((resolve) => stopping.close(() => resolve()));
  }
  await listen();
  const relayed = new URL(target.href);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(port);
  return { url: relayed.href, cut, restore: listen, close: cut };
}

describe.skipIf(url === undefined)('Redis rate limiter', () => {
  const prefix = `modelmart-test:${randomUUID()}:`;
  let redis: Redis;
  const limiters: ObservableRateLimiter[] = [];
  function replica(): ObservableRateLimiter {
    const limiter = createRateLimiter({ redisUrl: url as string, keyPrefix: prefix });
    limiters.push(limiter);
    return limiter;
  }

  beforeAll(() => {
    redis = new Redis(url as string);
  });
  afterAll(async () => {
    await Promise.all(limiters.map((limiter) => limiter.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('makes two replicas share one limit exactly: 200 concurrent admits against 60 rpm admit 60', async () => {
    const first = replica();
    const second = replica();
    // Connected first, so the burst measures the limit, not the connection (which refills 1/s).
    await Promise.all([first, second].map((limiter) => limiter.admit([{ scope: 'key:warm-up', limit: { requestsPerMinute: 10 } }], 0)));
    const checks: LimitCheck[] = [{ scope: 'key:shared', limit: { requestsPerMinute: 60 } }];
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? first : second).admit(checks, 0)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(60);
    const refused = decisions.find((decision) => !decision.allowed);
    expect(refused?.exceeded).toMatchObject({ scope: 'key:shared', kind: 'requests', limit: 60, used: 60, requested: 1 });
    expect(refused?.retryAfterSeconds).toBeGreaterThan(0.9);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(1);
    expect(refused?.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(first.failOpenCount + second.failOpenCount).toBe(0);
  });

  it('is fair across keys on shared buckets: key A at 20x its limit gets 429s, key B is all admitted', async () => {
    const [first, second] = [replica(), replica()];
    await Promise.all([first, second].map((limiter) => limiter.admit([{ scope: 'key:warm-up-fair', limit: { requestsPerMinute: 10 } }], 0)));
    const limit = { requestsPerMinute: 10 };
    const pending: Promise<{ key: string; decision: LimitDecision }>[] = [];
    for (let index = 0; index < 200; index += 1) {
      const limiter = index % 2 === 0 ? first : second;
      pending.push(limiter.admit([{ scope: 'key:flooding', limit }], 0).then((decision) => ({ key: 'a', decision })));
      if (index % 20 === 0) pending.push(limiter.admit([{ scope: 'key:calm', limit }], 0).then((decision) => ({ key: 'b', decision })));
    }
    const results = await Promise.all(pending);
    const flood = results.filter((result) => result.key === 'a');
    const calm = results.filter((result) => result.key === 'b');
    expect(flood.filter((result) => result.decision.allowed)).toHaveLength(10);
    expect(flood.filter((result) => !result.decision.allowed).every((result) => result.decision.exceeded?.scope === 'key:flooding')).toBe(true);
    expect(calm).toHaveLength(10);
    expect(calm.every((result) => result.decision.allowed)).toBe(true);
  });

  it('takes from every bucket or none, and keeps scopes apart', async () => {
    const limiter = replica();
    const key = { scope: 'key:all-or-none', limit: { requestsPerMinute: 100, tokensPerMinute: 10_000 } };
    const model = { scope: 'model:small', limit: { requestsPerMinute: 3 } };
    const decisions = await Promise.all(Array.from({ length: 10 }, () => limiter.admit([key, model], 100)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
    const alone = await limiter.admit([key], 100);
    // The seven refused admits took nothing from the key (else 89 and 8900 would remain); Redis time
    // runs meanwhile, so allow a little refill (100/min and 10,000/min).
    expect(Number(alone.headers['x-ratelimit-remaining-requests'])).toBeGreaterThanOrEqual(96);
    expect(Number(alone.headers['x-ratelimit-remaining-requests'])).toBeLessThanOrEqual(97);
    expect(Number(alone.headers['x-ratelimit-remaining-tokens'])).toBeGreaterThanOrEqual(9600);
    expect(Number(alone.headers['x-ratelimit-remaining-tokens'])).toBeLessThan(9700);
    const other = await limiter.admit([{ scope: 'model:other', limit: { requestsPerMinute: 3 } }], 0);
    expect(other.headers['x-ratelimit-remaining-requests']).toBe('2');
  });

  it('refuses tokens beyond the capacity with no retry time and adjusts tokens after the request', async () => {
    const limiter = replica();
    const checks: LimitCheck[] = [{ scope: 'key:tokens', limit: { tokensPerMinute: 6000 } }];
    const tooLarge = await limiter.admit(checks, 6001);
    expect(tooLarge.allowed).toBe(false);
    expect(tooLarge.retryAfterSeconds).toBeUndefined();
    expect((await limiter.admit(checks, 6000)).allowed).toBe(true);
    await limiter.adjustTokens(checks, -3000);
    const afterRefund = await limiter.admit(checks, 3000);
    expect(afterRefund.allowed).toBe(true);
    await limiter.adjustTokens(checks, 1200);
    const refused = await limiter.admit(checks, 100);
    expect(refused.allowed).toBe(false);
    // About -1200 + refill: 1300 tokens at 100/s is about 13 s.
    expect(refused.retryAfterSeconds).toBeGreaterThan(12);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(13);
  });

  it('expires a bucket when it would have refilled to full', async () => {
    const limiter = replica();
    const checks: LimitCheck[] = [{ scope: 'key:expiring', limit: { requestsPerMinute: 600 } }];
    expect((await limiter.admit(checks, 0)).allowed).toBe(true);
    const key = `${prefix}requests:key:expiring`;
    const ttl = await redis.pttl(key);
    // One request of 600/min refills in 100 ms.
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(101);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await redis.exists(key)).toBe(0);
    expect((await limiter.admit(checks, 0)).headers['x-ratelimit-remaining-requests']).toBe('599');
  });

  it('fails open while Redis is gone and limits again once it is back, without waiting for timeouts', async () => {
    const relay = await relayTo(new URL(url as string));
    let warnings = 0;
    const limiter = createRateLimiter({ redisUrl: relay.url, keyPrefix: prefix, logger: { warn: () => void (warnings += 1) } });
    limiters.push(limiter);
    const checks: LimitCheck[] = [{ scope: 'key:outage', limit: { requestsPerMinute: 2 } }];
    expect((await limiter.admit(checks, 0)).allowed).toBe(true);
    expect((await limiter.admit(checks, 0)).allowed).toBe(true);
    expect((await limiter.admit(checks, 0)).allowed).toBe(false);
    await relay.cut();
    const started = performance.now();
    for (let index = 0; index < 5; index += 1) expect((await limiter.admit(checks, 0)).allowed).toBe(true);
    expect(performance.now() - started).toBeLessThan(900);
    expect(limiter.failOpenCount).toBe(5);
    expect(warnings).toBe(1);
    await relay.restore();
    // ioredis retries after 50, 100, 150… ms; wait until it is back.
    const deadline = Date.now() + 10_000;
    let decision = await limiter.admit(checks, 0);
    while (decision.allowed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      decision = await limiter.admit(checks, 0);
    }
    // The bucket Redis kept is still empty (2/min refills one per 30 s): refused again.
    expect(decision.allowed).toBe(false);
    expect(decision.exceeded?.scope).toBe('key:outage');
    await relay.close();
  });

  it('reloads its script after Redis forgets it (SCRIPT FLUSH)', async () => {
    const limiter = replica();
    const checks: LimitCheck[] = [{ scope: 'key:flushed', limit: { requestsPerMinute: 5 } }];
    expect((await limiter.admit(checks, 0)).allowed).toBe(true);
    await redis.script('FLUSH');
    expect((await limiter.admit(checks, 0)).headers['x-ratelimit-remaining-requests']).toBe('3');
    expect(limiter.failOpenCount).toBe(0);
  });
});
