// Failed sign-ins per client address: after too many in a window, further attempts from that
// address are refused with 429 until the window passes, so keys cannot be guessed at speed
// through the session endpoint. Memory only and per server: a cheap brake, not an account lockout.
import { ModelmartError } from '../../core/index.js';

export interface AuthAttemptLimits {
  readonly maximumFailures: number;
  readonly windowMilliseconds: number;
}

export const defaultAuthAttemptLimits: AuthAttemptLimits = { maximumFailures: 10, windowMilliseconds: 5 * 60_000 };

const trackedAddressLimit = 10_000;

interface FailureWindow {
  startedAt: number;
  failures: number;
}

export class AuthAttemptLimiter {
  private readonly windows = new Map<string, FailureWindow>();

  constructor(
    private readonly limits: AuthAttemptLimits = defaultAuthAttemptLimits,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Throws 429 when this address has failed too often in the current window. */
  check(address: string): void {
    const window = this.current(address);
    if (window === undefined || window.failures < this.limits.maximumFailures) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + this.limits.windowMilliseconds - this.now()) / 1000));
    throw new ModelmartError(429, `Too many failed sign-in attempts from ${address}; try again in ${retryAfterSeconds} seconds.`, {
      code: 'rate_limit_exceeded',
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }

  recordFailure(address: string): void {
    const window = this.current(address);
    if (window !== undefined) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= trackedAddressLimit) this.forgetPassedWindows();
    if (this.windows.size >= trackedAddressLimit) this.windows.clear();
    this.windows.set(address, { startedAt: this.now(), failures: 1 });
  }

  private current(address: string): FailureWindow | undefined {
    const window = this.windows.get(address);
    if (window === undefined) return undefined;
    if (this.now() - window.startedAt < this.limits.windowMilliseconds) return window;
    this.windows.delete(address);
    return undefined;
  }

  private forgetPassedWindows(): void {
    for (const address of [...this.windows.keys()]) this.current(address);
  }
}
