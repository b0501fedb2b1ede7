import { describe, expect, it } from 'vitest';
import { ModelmartError } from '../core/index.js';
import { UpstreamError } from '../providers/provider-errors.js';
import { connectionRefused, upstreamFailure } from './__fixtures__/fake-provider-adapter.js';
import { attemptTimedOut, classifyFailure } from './attempt-failure.js';

describe('classifyFailure', () => {
  it('retries connect errors, 408, 409, 429 and 5xx, keeping retry-after', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504]) {
      expect(classifyFailure(upstreamFailure('openai', status, 'x')).disposition).toBe('retry');
    }
    const limited = classifyFailure(upstreamFailure('openai', 429, 'slow down', 2_000));
    expect(limited).toMatchObject({ retryAfterMilliseconds: 2_000, description: '429 slow down', countsAgainstTarget: true });
    expect(classifyFailure(connectionRefused('local'))).toMatchObject({ disposition: 'retry', description: 'connection refused' });
  });

  it('finds a network failure nested in causes and AggregateErrors', () => {
    const inner = Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' });
    const wrapped = new TypeError('fetch failed', { cause: new AggregateError([inner], 'all addresses failed') });
    expect(classifyFailure(wrapped)).toMatchObject({ status: 502, disposition: 'retry', description: 'connection reset' });
    expect(classifyFailure(wrapped).error).toBeInstanceOf(ModelmartError);
  });

  it('returns client faults at once and moves on from deployment faults', () => {
    expect(classifyFailure(upstreamFailure('openai', 400, 'bad')).disposition).toBe('return');
    expect(classifyFailure(upstreamFailure('openai', 422, 'bad')).disposition).toBe('return');
    for (const status of [401, 403, 404]) expect(classifyFailure(upstreamFailure('openai', status, 'x')).disposition).toBe('next-target');
    const tooLong = new UpstreamError({ provider: 'openai', status: 400, message: 'too long', code: 'context_length_exceeded' });
    expect(classifyFailure(tooLong)).toMatchObject({ disposition: 'next-target', countsAgainstTarget: false });
  });

  it('describes an attempt that ran out of time', () => {
    expect(attemptTimedOut(250)).toMatchObject({ status: 504, description: 'timed out after 250 ms', disposition: 'retry' });
  });
});
