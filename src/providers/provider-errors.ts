// Upstream failures in the one error tree. The upstream's status and message are kept, so the
// client sees what the vendor said; `retryable` and `retryAfterMilliseconds` drive routing.
import { ModelmartError } from '../core/index.js';
import type { UpstreamFailureDetails } from './provider-contract.js';

export class UpstreamError extends ModelmartError {
  readonly provider: string;
  readonly upstreamStatus: number;
  readonly retryAfterMilliseconds: number | undefined;
  readonly afterFirstByte: boolean;

  constructor(details: UpstreamFailureDetails, cause?: unknown) {
    const retryable = !details.afterFirstByte && (details.status === 408 || details.status === 409 || details.status === 429 || details.status >= 500);
    super(details.status, `${details.provider}: ${details.message}`, {
      code: details.code ?? (details.status === 429 ? 'rate_limit_exceeded' : 'upstream_error'),
      type: details.status === 429 ? 'rate_limit_error' : details.status >= 500 ? 'upstream_error' : 'invalid_request_error',
      retryable,
      headers: details.retryAfterMilliseconds === undefined ? {} : { 'retry-after': String(Math.ceil(details.retryAfterMilliseconds / 1000)) },
      cause,
    });
    this.name = 'UpstreamError';
    this.provider = details.provider;
    this.upstreamStatus = details.status;
    this.retryAfterMilliseconds = details.retryAfterMilliseconds;
    this.afterFirstByte = details.afterFirstByte ?? false;
  }
}
