// Strategies turn a plan into the order in which its targets are tried for one request. Pure
// functions of the plan, a random source and observed latencies, so tests are deterministic.
import type { RoutePlan, RouteTarget } from './route-plan.js';

/** Returns a number in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** The mean recent latency of a target, or undefined when it has not answered yet. */
export type LatencyLookup = (target: RouteTarget) => number | undefined;

/** A small seeded generator (mulberry32) for tests and reproducible simulations. */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Targets in configured order: the first is preferred, the rest are fallbacks. */
export function fallbackOrder(targets: readonly RouteTarget[]): readonly RouteTarget[] {
  return targets;
}

/** One target picked at random in proportion to its weight, then the others in configured order. */
export function weightedOrder(targets: readonly RouteTarget[], random: RandomSource): readonly RouteTarget[] {
  if (targets.length < 2) return targets;
  let totalWeight = 0;
  for (const target of targets) totalWeight += target.weight;
  let remaining = random() * totalWeight;
  let chosenIndex = targets.length - 1;
  for (let index = 0; index < targets.length; index += 1) {
    remaining -= targets[index]?.weight ?? 0;
    if (remaining < 0) {
      chosenIndex = index;
      break;
    }
  }
  if (chosenIndex === 0) return targets;
  const chosen = targets[chosenIndex];
  if (chosen === undefined) return targets;
  return [chosen, ...targets.filter((_, index) => index !== chosenIndex)];
}

/**
 * `canaryPercent` of requests go to the last target (the canary) and fall back to the first;
 * the rest go to the first (the stable version) and fall back to the others, canary last.
 */
export function canaryOrder(targets: readonly RouteTarget[], canaryPercent: number, random: RandomSource): readonly RouteTarget[] {
  if (targets.length < 2) return targets;
  if (random() * 100 >= canaryPercent) return targets;
  const canary = targets[targets.length - 1];
  if (canary === undefined) return targets;
  return [canary, ...targets.slice(0, -1)];
}

/** Untried targets first (in configured order, so each gets measured), then the fastest recently. */
export function leastLatencyOrder(targets: readonly RouteTarget[], latencyOf: LatencyLookup): readonly RouteTarget[] {
  if (targets.length < 2) return targets;
  const ranked = targets.map((target, index) => ({ target, index, latency: latencyOf(target) }));
  ranked.sort((left, right) => {
    if (left.latency === undefined || right.latency === undefined) {
      if (left.latency === right.latency) return left.index - right.index;
      return left.latency === undefined ? -1 : 1;
    }
    return left.latency - right.latency || left.index - right.index;
  });
  return ranked.map((entry) => entry.target);
}

/** The order in which one request tries the plan's targets. */
export function orderTargets(plan: RoutePlan, random: RandomSource, latencyOf: LatencyLookup): readonly RouteTarget[] {
  switch (plan.strategy) {
    case 'fallback':
      return fallbackOrder(plan.targets);
    case 'weighted':
      return weightedOrder(plan.targets, random);
    case 'canary':
      return canaryOrder(plan.targets, plan.canaryPercent ?? 0, random);
    case 'least-latency':
      return leastLatencyOrder(plan.targets, latencyOf);
  }
}
