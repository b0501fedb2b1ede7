// What one failed upstream attempt means for routing: retry the same target, move on to the
// next one, or give the error straight back to the client (whose fault it was).
import { ModelmartError } from '../core/index.js';
import { UpstreamError } from '../providers/provider-errors.js';

export type FailureDisposition = 'retry' | 'next-target' | 'return';

export interface AttemptFailure {
  readonly status: number;
  readonly code: string | null;
  /** One line for the "all targets failed" message: `503 upstream down`, `connection refused`. */
  readonly description: string;
  readonly disposition: FailureDisposition;
  /** Whether this failure says the target is unhealthy (feeds its circuit breaker). */
  readonly countsAgainstTarget: boolean;
  readonly retryAfterMilliseconds: number | undefined;
  readonly error: ModelmartError;
}

const transportFailures: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
};

/** A network-level failure somewhere in the cause chain (undici nests them in `cause` and AggregateErrors). */
function findTransportFailure(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string') {
    const description = transportFailures[code];
    if (description !== undefined) return description;
  }
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const description = findTransportFailure(inner, depth + 1);
      if (description !== undefined) return description;
    }
  }
  return findTransportFailure(Reflect.get(error, 'cause'), depth + 1);
}

const retryableStatuses = new Set([408, 409, 429]);

function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status) || status >= 500;
}

/** 401, 403 and 404 from an upstream are the deployment's fault (key, region, model name), not the client's. */
function isDeploymentFault(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

function stripProviderPrefix(error: UpstreamError): string {
  const prefix = `${error.provider}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

export function classifyFailure(error: unknown): AttemptFailure {
  const transport = findTransportFailure(error);
  if (error instanceof ModelmartError) {
    const status = error instanceof UpstreamError ? error.upstreamStatus : error.status;
    const description = transport ?? (error instanceof UpstreamError ? `${status} ${stripProviderPrefix(error)}` : `${status} ${error.message}`);
    const retryAfterMilliseconds = error instanceof UpstreamError ? error.retryAfterMilliseconds : undefined;
    // Nothing was passed on yet, so the status alone decides: retrying duplicates no output.
    if (transport !== undefined || isRetryableStatus(status) || (!(error instanceof UpstreamError) && error.retryable)) {
      return { status, code: error.code, description, disposition: 'retry', countsAgainstTarget: true, retryAfterMilliseconds, error };
    }
    if (isDeploymentFault(status)) {
      return { status, code: error.code, description, disposition: 'next-target', countsAgainstTarget: true, retryAfterMilliseconds, error };
    }
    if (error.code === 'context_length_exceeded') {
      // The prompt may fit a fallback with a larger window; this target is healthy.
      return { status, code: error.code, description, disposition: 'next-target', countsAgainstTarget: false, retryAfterMilliseconds, error };
    }
    return { status, code: error.code, description, disposition: 'return', countsAgainstTarget: false, retryAfterMilliseconds, error };
  }
  const message = transport ?? (error instanceof Error && error.message !== '' ? error.message : 'upstream call failed');
  const wrapped = new ModelmartError(502, message, { code: 'upstream_error', type: 'upstream_error', cause: error });
  return { status: 502, code: 'upstream_error', description: message, disposition: 'retry', countsAgainstTarget: true, retryAfterMilliseconds: undefined, error: wrapped };
}

/** The failure of an attempt that ran past its own time limit. */
export function attemptTimedOut(timeoutMilliseconds: number): AttemptFailure {
  const description = `timed out after ${timeoutMilliseconds} ms`;
  const error = new ModelmartError(504, `The upstream did not answer within ${timeoutMilliseconds} ms.`, { code: 'upstream_timeout', type: 'upstream_error' });
  return { status: 504, code: 'upstream_timeout', description, disposition: 'retry', countsAgainstTarget: true, retryAfterMilliseconds: undefined, error };
}
