// Turns everything that can go wrong on an upstream call into one error: an UpstreamError that
// keeps the vendor's status and message, or an AbortError when our own caller gave up.
import { UpstreamError } from '../provider-errors.js';
import { parseRetryAfter } from './retry-after-parser.js';

export interface UpstreamErrorDescription {
  readonly message: string;
  readonly code?: string | null;
}
export type UpstreamErrorDescriber = (body: unknown) => UpstreamErrorDescription | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codeText(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/**
 * The error bodies seen in the wild: OpenAI's `{"error":{"message","code","type"}}`, Ollama's
 * `{"error":"text"}`, bare `{"message"}`, FastAPI's `{"detail": text | [{msg}]}` (vLLM and other
 * Python servers) and Baidu's `{"error_msg","error_code"}`.
 */
export const describeUpstreamErrorBody: UpstreamErrorDescriber = (body) => {
  if (!isRecord(body)) return undefined;
  const error = body['error'];
  if (isRecord(error) && typeof error['message'] === 'string') {
    return { message: error['message'], code: codeText(error['code']) ?? codeText(error['type']) };
  }
  if (typeof error === 'string' && error !== '') return { message: error, code: codeText(body['code']) };
  if (typeof body['message'] === 'string') return { message: body['message'], code: codeText(body['code']) ?? codeText(body['type']) };
  const detail = body['detail'];
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const messages = detail.map((item) => (isRecord(item) && typeof item['msg'] === 'string' ? item['msg'] : JSON.stringify(item)));
    return { message: messages.join('; ') };
  }
  if (typeof body['error_msg'] === 'string') return { message: body['error_msg'], code: codeText(body['error_code']) };
  return undefined;
};

function snippet(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > 300 ? `${collapsed.slice(0, 300)}…` : collapsed;
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeBodyText(bodyText: string, describe: UpstreamErrorDescriber | undefined): UpstreamErrorDescription | undefined {
  const body = bodyText === '' ? undefined : parseJsonOrUndefined(bodyText);
  return (describe === undefined ? undefined : describe(body)) ?? describeUpstreamErrorBody(body);
}

/** A stream request answered with a JSON document: how vendors that report errors with a 200 fail. */
export function jsonInsteadOfStreamError(provider: string, bodyText: string, describe: UpstreamErrorDescriber | undefined): UpstreamError {
  const description = describeBodyText(bodyText, describe);
  if (description !== undefined) return new UpstreamError({ provider, status: 502, message: description.message, code: description.code ?? 'upstream_invalid_response' });
  return invalidResponseError(provider, `expected an event stream, got JSON: ${snippet(bodyText)}`, false);
}

/** The error for a non-2xx answer, with the upstream's own words where it gave any. */
export function upstreamStatusError(
  provider: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  describe: UpstreamErrorDescriber | undefined,
): UpstreamError {
  if (status < 400) {
    const location = headers['location'];
    return new UpstreamError({
      provider,
      status: 502,
      message: `upstream answered HTTP ${status}${typeof location === 'string' ? ` (redirect to ${location})` : ''}; check the provider's baseUrl`,
      code: 'upstream_unexpected_status',
    });
  }
  const description = describeBodyText(bodyText, describe);
  const message = description?.message ?? (bodyText.trim() === '' ? `upstream answered HTTP ${status}` : `upstream answered HTTP ${status}: ${snippet(bodyText)}`);
  return new UpstreamError({
    provider,
    status,
    message,
    code: description?.code ?? null,
    retryAfterMilliseconds: parseRetryAfter(headers),
  });
}

export function invalidResponseError(provider: string, message: string, afterFirstByte: boolean, cause?: unknown): UpstreamError {
  return new UpstreamError({ provider, status: 502, message, code: 'upstream_invalid_response', afterFirstByte }, cause);
}

export function interruptedStreamError(provider: string, message: string, afterFirstByte: boolean, cause?: unknown): UpstreamError {
  return new UpstreamError({ provider, status: 502, message, code: 'upstream_stream_interrupted', afterFirstByte }, cause);
}

/** The system or undici error code of a failure, looking through causes and AggregateErrors. */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  if ('code' in error && typeof error.code === 'string') return error.code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner, depth + 1);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return errorCode(error.cause, depth + 1);
}

export interface TransportFailure {
  readonly provider: string;
  readonly origin: string;
  readonly timeoutMilliseconds: number;
  /** Whether any event was passed on to our caller before the failure. */
  readonly afterFirstByte: boolean;
}

/** Maps a network-level failure (refused, reset, DNS, timeout) to the gateway's error. */
export function transportError(error: unknown, failure: TransportFailure): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = errorCode(error) ?? 'unknown';
  const { provider, origin, timeoutMilliseconds, afterFirstByte } = failure;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    const what = code === 'UND_ERR_HEADERS_TIMEOUT' ? 'no response' : 'no data';
    return new UpstreamError(
      {
        provider,
        status: 504,
        message: `${what} from ${origin} within ${timeoutMilliseconds} ms`,
        code: afterFirstByte ? 'upstream_stream_interrupted' : 'upstream_timeout',
        afterFirstByte,
      },
      error,
    );
  }
  if (afterFirstByte) return interruptedStreamError(provider, `the stream from ${origin} broke off (${code})`, true, error);
  return new UpstreamError({ provider, status: 502, message: `could not reach ${origin} (${code})`, code: 'upstream_unreachable' }, error);
}

/** The error our caller sees when it aborted: named AbortError, carrying the abort reason. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The upstream request was aborted.', { cause: reason });
  error.name = 'AbortError';
  return error;
}
