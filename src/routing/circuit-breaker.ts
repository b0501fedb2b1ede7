// A circuit breaker per deployment: after N consecutive failures the target is skipped (at no
// latency cost) for a cool-down, then one probe request is let through to test it again.

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  readonly coolDownMilliseconds: number;
}

export const defaultCircuitBreakerSettings: CircuitBreakerSettings = { failureThreshold: 5, coolDownMilliseconds: 30_000 };

export class CircuitBreaker {
  private openedAt = 0;
  private opened = false;
  private probeInFlight = false;
  private consecutive = 0;

  constructor(
    private readonly settings: CircuitBreakerSettings,
    /** Monotonic milliseconds: injectable so tests move time by hand. */
    private readonly now: () => number,
  ) {}

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  state(): CircuitState {
    if (!this.opened) return 'closed';
    return this.now() - this.openedAt >= this.settings.coolDownMilliseconds ? 'half-open' : 'open';
  }

  /** Milliseconds until an open circuit lets a probe through; 0 when it would now. */
  millisecondsUntilProbe(): number {
    if (!this.opened) return 0;
    return Math.max(0, this.openedAt + this.settings.coolDownMilliseconds - this.now());
  }

  /**
   * Whether a call may go to this target now. In the half-open state only one caller gets
   * true until that probe reports back, so a recovering upstream is not flooded.
   */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.consecutive = 0;
    this.opened = false;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.consecutive += 1;
    const wasProbe = this.probeInFlight;
    this.probeInFlight = false;
    // Late failures of calls that began before the circuit opened do not extend the cool-down.
    if (wasProbe || (!this.opened && this.consecutive >= this.settings.failureThreshold)) {
      this.opened = true;
      this.openedAt = this.now();
    }
  }

  /** A call ended with no verdict on the target (the client left): free the probe slot. */
  release(): void {
    this.probeInFlight = false;
  }
}
