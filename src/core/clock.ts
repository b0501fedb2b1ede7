// Time as a dependency, so tests can hold it still and billing can record the time in force.
export interface Clock {
  now(): Date;
  /** Milliseconds from a monotonic source, for durations. */
  monotonicMilliseconds(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMilliseconds: () => performance.now(),
};
