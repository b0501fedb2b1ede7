import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/index.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { formatOpenAiDuration } from './rate-limit-headers.js';

const heldClock: Clock = { now: () => new Date(0), monotonicMilliseconds: () => 5_000 };

describe('formatOpenAiDuration', () => {
  it('writes durations as OpenAI does (Go notation): ms below a second, then h/m/s', () => {
    expect(formatOpenAiDuration(0)).toBe('0s');
    expect(formatOpenAiDuration(12)).toBe('12ms');
    expect(formatOpenAiDuration(11.2)).toBe('12ms');
    expect(formatOpenAiDuration(999)).toBe('999ms');
    expect(formatOpenAiDuration(1000)).toBe('1s');
    expect(formatOpenAiDuration(1200)).toBe('1.2s');
    expect(formatOpenAiDuration(8640)).toBe('8.64s');
    expect(formatOpenAiDuration(60_000)).toBe('1m0s');
    expect(formatOpenAiDuration(360_000)).toBe('6m0s');
    expect(formatOpenAiDuration(90_500)).toBe('1m30.5s');
    expect(formatOpenAiDuration(3_600_000)).toBe('1h0m0s');
    expect(formatOpenAiDuration(-5)).toBe('0s');
  });
});

describe('x-ratelimit-* headers', () => {
  it('names and values match OpenAI: limit, remaining and time until the bucket is full again', async () => {
    const limiter = new MemoryRateLimiter({ clock: heldClock });
    const checks = [{ scope: 'key:key_a', limit: { requestsPerMinute: 60, tokensPerMinute: 150_000 } }];
    const decision = await limiter.admit(checks, 15_000);
    expect(decision.allowed).toBe(true);
    expect(decision.headers).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-tokens': '135000',
      'x-ratelimit-reset-tokens': '6s',
    });
  });

  it('reports the most constraining check of each kind, separately for requests and tokens', async () => {
    const limiter = new MemoryRateLimiter({ clock: heldClock });
    const checks = [
      { scope: 'key:key_a', limit: { requestsPerMinute: 10, tokensPerMinute: 1_000_000 } },
      { scope: 'organisation:org_1', limit: { requestsPerMinute: 1000, tokensPerMinute: 2000 } },
      { scope: 'model:gpt-4o', limit: {} },
    ];
    const decision = await limiter.admit(checks, 500);
    expect(decision.headers).toMatchObject({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '9',
      'x-ratelimit-reset-requests': '6s',
      'x-ratelimit-limit-tokens': '2000',
      'x-ratelimit-remaining-tokens': '1500',
      'x-ratelimit-reset-tokens': '15s',
    });
  });

  it('has only the kinds some check limits', async () => {
    const limiter = new MemoryRateLimiter({ clock: heldClock });
    const decision = await limiter.admit([{ scope: 'model:m', limit: { requestsPerMinute: 5 } }], 100);
    expect(Object.keys(decision.headers).sort()).toEqual(['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests']);
  });
});
