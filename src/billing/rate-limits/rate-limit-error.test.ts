import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/index.js';
import { installErrorHandling } from '../../server/error-handler.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { rateLimitExceeded } from './rate-limit-error.js';

function heldClock(): Clock & { advance(milliseconds: number): void } {
  let milliseconds = 0;
  return { now: () => new Date(milliseconds), monotonicMilliseconds: () => milliseconds, advance: (by) => void (milliseconds += by) };
}

describe('rateLimitExceeded', () => {
  it('words a refused request like OpenAI and carries retry-after', async () => {
    const clock = heldClock();
    const limiter = new MemoryRateLimiter({ clock });
    const checks = [{ scope: 'key:key_123', limit: { requestsPerMinute: 60 } }];
    for (let index = 0; index < 60; index += 1) await limiter.admit(checks, 0);
    clock.advance(200);
    const decision = await limiter.admit(checks, 0);
    const error = rateLimitExceeded(decision);
    expect(error.status).toBe(429);
    expect(error.toBody()).toEqual({
      error: {
        message: 'Rate limit reached for key:key_123 on requests per minute: Limit 60, Used 60, Requested 1. Please try again in 800ms.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    expect(error.retryable).toBe(true);
    expect(error.headers).toMatchObject({ 'retry-after': '1', 'retry-after-ms': '800', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-limit-requests': '60' });
  });

  it('says a request too large for the token limit can never fit, and is not retryable', async () => {
    const limiter = new MemoryRateLimiter({ clock: heldClock() });
    const decision = await limiter.admit([{ scope: 'model:gpt-4o', limit: { tokensPerMinute: 10_000 } }], 15_000);
    const error = rateLimitExceeded(decision);
    expect(error.status).toBe(429);
    expect(error.type).toBe('tokens');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Request too large for model:gpt-4o on tokens per minute: Limit 10000, Requested 15000\. The request can never fit/);
    expect(error.headers['retry-after']).toBeUndefined();
  });

  it('reaches the client through the error handler: status, OpenAI body and headers', async () => {
    const clock = heldClock();
    const limiter = new MemoryRateLimiter({ clock });
    const checks = [{ scope: 'project:proj_1', limit: { tokensPerMinute: 1000 } }];
    await limiter.admit(checks, 1000);
    const app = Fastify();
    installErrorHandling(app, 1024);
    app.get('/limited', async () => {
      const decision = await limiter.admit(checks, 30);
      if (!decision.allowed) throw rateLimitExceeded(decision);
      return { ok: true };
    });
    const response = await app.inject({ method: 'GET', url: '/limited' });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.headers['retry-after-ms']).toBe('1800');
    expect(response.headers['x-ratelimit-limit-tokens']).toBe('1000');
    expect(response.headers['x-ratelimit-reset-tokens']).toBe('1m0s');
    expect(response.json()).toMatchObject({ error: { type: 'tokens', code: 'rate_limit_exceeded', message: expect.stringContaining('Please try again in 1.8s.') } });
    await app.close();
  });
});
