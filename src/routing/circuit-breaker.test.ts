import { describe, expect, it } from 'vitest';
import { FakeClock } from './__fixtures__/fake-provider-adapter.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { TargetHealth, TargetHealthRegistry, targetHealthSnapshotSchema } from './target-health.js';

const settings = { failureThreshold: 3, coolDownMilliseconds: 30_000 };
const target = { providerId: 'openai', upstreamModel: 'gpt-4o-mini', publicModelId: 'openai/gpt-4o-mini', weight: 1, embedding: false };

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and refuses calls while cooling down', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(settings, () => clock.monotonicMilliseconds());
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(29_999);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.millisecondsUntilProbe()).toBe(1);
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker(settings, () => 0);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(2);
  });

  it('half-open lets exactly one probe through; its success closes the circuit', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(settings, () => clock.monotonicMilliseconds());
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(30_000);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a failed probe re-opens the circuit for a new cool-down', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(settings, () => clock.monotonicMilliseconds());
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(30_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    clock.advance(29_000);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a probe that ends without a verdict frees the slot for the next one', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(settings, () => clock.monotonicMilliseconds());
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(30_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('late failures of calls begun before it opened do not extend the cool-down', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker(settings, () => clock.monotonicMilliseconds());
    for (let index = 0; index < 3; index += 1) breaker.recordFailure();
    clock.advance(20_000);
    breaker.recordFailure();
    clock.advance(10_000);
    expect(breaker.state()).toBe('half-open');
  });
});

describe('TargetHealth', () => {
  it('reports state, counts, the latency median of a moving window, and the last failure', () => {
    const clock = new FakeClock();
    const health = new TargetHealth(target, settings, 4, () => clock.monotonicMilliseconds(), () => clock.now());
    expect(health.averageLatency()).toBeUndefined();
    expect(health.snapshot().latencyP50Milliseconds).toBeNull();
    for (const latency of [100, 200, 300, 400, 1_000]) health.recordSuccess(latency);
    // The window holds the last four: 200, 300, 400, 1000.
    expect(health.averageLatency()).toBe(475);
    expect(health.latencyMedian()).toBe(350);
    health.recordFailure('503 upstream down');
    const snapshot = health.snapshot();
    expect(targetHealthSnapshotSchema.parse(snapshot)).toEqual({
      target: 'openai/gpt-4o-mini',
      providerId: 'openai',
      upstreamModel: 'gpt-4o-mini',
      state: 'closed',
      consecutiveFailures: 1,
      successCount: 5,
      failureCount: 1,
      latencyP50Milliseconds: 350,
      lastFailure: { message: '503 upstream down', at: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('registry creates one record per deployment up front', () => {
    const clock = new FakeClock();
    const registry = new TargetHealthRegistry([target], {
      breaker: settings,
      latencyWindowSize: 8,
      monotonicNow: () => clock.monotonicMilliseconds(),
      wallNow: () => clock.now(),
    });
    expect(registry.get({ ...target, weight: 5 })).toBe(registry.get(target));
    expect(registry.snapshot().map((entry) => entry.target)).toEqual(['openai/gpt-4o-mini']);
  });
});
