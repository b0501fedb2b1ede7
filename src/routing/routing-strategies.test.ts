import { describe, expect, it } from 'vitest';
import type { RoutePlan, RouteTarget } from './route-plan.js';
import { canaryOrder, createSeededRandom, fallbackOrder, leastLatencyOrder, orderTargets, weightedOrder } from './routing-strategies.js';

function target(publicModelId: string, weight = 1): RouteTarget {
  const [providerId = '', upstreamModel = ''] = publicModelId.split('/');
  return { providerId, upstreamModel, publicModelId, weight, embedding: false };
}

const ids = (targets: readonly RouteTarget[]): string[] => targets.map((entry) => entry.publicModelId);

/** How often each target comes first over many draws. */
function firstShares(draw: () => readonly RouteTarget[], draws: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < draws; index += 1) {
    const first = draw()[0]?.publicModelId ?? '';
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return new Map([...counts].map(([key, count]) => [key, count / draws]));
}

describe('createSeededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const left = createSeededRandom(42);
    const right = createSeededRandom(42);
    const values = Array.from({ length: 1_000 }, () => left());
    expect(values).toEqual(Array.from({ length: 1_000 }, () => right()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});

describe('fallback', () => {
  it('keeps the configured order', () => {
    const targets = [target('a/one'), target('b/two'), target('c/three')];
    expect(ids(fallbackOrder(targets))).toEqual(['a/one', 'b/two', 'c/three']);
  });
});

describe('weighted', () => {
  it('picks the first target in proportion to the weights', () => {
    const targets = [target('a/heavy', 3), target('b/light', 1)];
    const random = createSeededRandom(7);
    const shares = firstShares(() => weightedOrder(targets, random), 20_000);
    expect(shares.get('a/heavy')).toBeCloseTo(0.75, 1);
    expect(shares.get('b/light')).toBeCloseTo(0.25, 1);
  });

  it('keeps the others as fallbacks in configured order', () => {
    const targets = [target('a/one', 1), target('b/two', 1), target('c/three', 1)];
    // random 0.5 × total 3 = 1.5: the second target is chosen.
    expect(ids(weightedOrder(targets, () => 0.5))).toEqual(['b/two', 'a/one', 'c/three']);
    expect(ids(weightedOrder(targets, () => 0.99))).toEqual(['c/three', 'a/one', 'b/two']);
    expect(ids(weightedOrder(targets, () => 0))).toEqual(['a/one', 'b/two', 'c/three']);
  });

  it('spreads evenly over three equal weights', () => {
    const targets = [target('a/one'), target('b/two'), target('c/three')];
    const random = createSeededRandom(99);
    const shares = firstShares(() => weightedOrder(targets, random), 30_000);
    for (const share of shares.values()) expect(share).toBeGreaterThan(0.31);
  });
});

describe('canary', () => {
  const targets = [target('stable/v1'), target('middle/v1'), target('canary/v2')];

  it('sends canaryPercent of traffic to the last target', () => {
    const random = createSeededRandom(3);
    const shares = firstShares(() => canaryOrder(targets, 20, random), 20_000);
    expect(shares.get('canary/v2')).toBeCloseTo(0.2, 1);
    expect(shares.get('stable/v1')).toBeCloseTo(0.8, 1);
    expect(shares.get('middle/v1')).toBeUndefined();
  });

  it('falls back from the canary to the stable target, and from the stable one to the rest', () => {
    expect(ids(canaryOrder(targets, 20, () => 0.1))).toEqual(['canary/v2', 'stable/v1', 'middle/v1']);
    expect(ids(canaryOrder(targets, 20, () => 0.5))).toEqual(['stable/v1', 'middle/v1', 'canary/v2']);
    expect(ids(canaryOrder(targets, 0, () => 0))).toEqual(['stable/v1', 'middle/v1', 'canary/v2']);
  });
});

describe('least-latency', () => {
  it('tries untried targets first, then the fastest', () => {
    const targets = [target('a/slow'), target('b/new'), target('c/fast'), target('d/new')];
    const latencies = new Map([
      ['a/slow', 900],
      ['c/fast', 120],
    ]);
    expect(ids(leastLatencyOrder(targets, (entry) => latencies.get(entry.publicModelId)))).toEqual(['b/new', 'd/new', 'c/fast', 'a/slow']);
    latencies.set('b/new', 500).set('d/new', 50);
    expect(ids(leastLatencyOrder(targets, (entry) => latencies.get(entry.publicModelId)))).toEqual(['d/new', 'c/fast', 'b/new', 'a/slow']);
  });
});

describe('orderTargets', () => {
  it('dispatches on the plan strategy', () => {
    const targets = [target('a/one'), target('b/two')];
    const plan = (strategy: RoutePlan['strategy'], canaryPercent?: number): RoutePlan => ({
      publicName: 'route',
      strategy,
      targets,
      ...(canaryPercent === undefined ? {} : { canaryPercent }),
    });
    const noLatency = (): undefined => undefined;
    expect(ids(orderTargets(plan('fallback'), () => 0.9, noLatency))).toEqual(['a/one', 'b/two']);
    expect(ids(orderTargets(plan('weighted'), () => 0.9, noLatency))).toEqual(['b/two', 'a/one']);
    expect(ids(orderTargets(plan('canary', 50), () => 0.1, noLatency))).toEqual(['b/two', 'a/one']);
    expect(ids(orderTargets(plan('least-latency'), () => 0, (entry) => (entry.publicModelId === 'a/one' ? 10 : 5)))).toEqual(['b/two', 'a/one']);
  });
});
