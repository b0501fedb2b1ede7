// The 429 a refused request gets, worded like OpenAI's, with the x-ratelimit-* headers and
// retry-after (seconds, and retry-after-ms, which the OpenAI SDKs read first) riding on the error.
import { ModelmartError } from '../../core/index.js';
import type { LimitDecision } from './rate-limit-contract.js';
import { formatOpenAiDuration } from './rate-limit-headers.js';

const perMinute = { requests: 'requests per minute', tokens: 'tokens per minute' } as const;

export function rateLimitExceeded(decision: LimitDecision): ModelmartError {
  const exceeded = decision.exceeded;
  const headers: Record<string, string> = { ...decision.headers };
  if (exceeded === undefined) {
    return new ModelmartError(429, 'Rate limit reached. Please try again later.', { type: 'rate_limit_error', code: 'rate_limit_exceeded', headers });
  }
  const what = perMinute[exceeded.kind];
  const retryAfterSeconds = decision.retryAfterSeconds;
  if (retryAfterSeconds === undefined) {
    // Waiting never helps, so the error says so and is not marked retryable.
    return new ModelmartError(
      429,
      `Request too large for ${exceeded.scope} on ${what}: Limit ${exceeded.limit}, Requested ${exceeded.requested}. ` +
        `The request can never fit in this limit: reduce the input or the maximum output tokens, or ask for a higher limit.`,
      { type: exceeded.kind, code: 'rate_limit_exceeded', retryable: false, headers },
    );
  }
  headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  headers['retry-after-ms'] = String(Math.ceil(retryAfterSeconds * 1000));
  return new ModelmartError(
    429,
    `Rate limit reached for ${exceeded.scope} on ${what}: Limit ${exceeded.limit}, Used ${exceeded.used}, Requested ${exceeded.requested}. ` +
      `Please try again in ${formatOpenAiDuration(retryAfterSeconds * 1000)}.`,
    { type: exceeded.kind, code: 'rate_limit_exceeded', headers },
  );
}
