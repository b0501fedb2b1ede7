// One error tree for the whole server: every failure a user can cause or meet becomes a
// ModelmartError, and one handler writes it as the OpenAI error body with the right status.
import { z } from 'zod';

export const errorTypeSchema = z.enum([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'conflict_error',
  'rate_limit_error',
  // OpenAI names the exhausted limit in the type of a 429: "requests" or "tokens".
  'requests',
  'tokens',
  'insufficient_quota',
  'server_error',
  'upstream_error',
  'service_unavailable',
]);
export type ErrorType = z.infer<typeof errorTypeSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export interface ModelmartErrorOptions {
  readonly type?: ErrorType;
  readonly code?: string | null;
  readonly param?: string | null;
  /** Whether a retry of the same request may succeed (used by routing and by clients). */
  readonly retryable?: boolean;
  /** Extra response headers, for example `retry-after`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

function defaultTypeForStatus(status: number): ErrorType {
  if (status === 401) return 'invalid_request_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 409) return 'conflict_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export class ModelmartError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, options: ModelmartErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelmartError';
    this.status = status;
    this.type = options.type ?? defaultTypeForStatus(status);
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryable = options.retryable ?? (status === 408 || status === 429 || status >= 500);
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): ModelmartError {
  return new ModelmartError(400, message, { param, code });
}

export function invalidApiKey(message = 'Incorrect or missing API key. Send it as "Authorization: Bearer <key>".'): ModelmartError {
  return new ModelmartError(401, message, { code: 'invalid_api_key' });
}

export function permissionDenied(message: string, code = 'permission_denied'): ModelmartError {
  return new ModelmartError(403, message, { code });
}

/** A key whose scopes do not cover the model asked for (deny lists win over allow lists). */
export function modelNotAllowed(model: string): ModelmartError {
  return new ModelmartError(403, `This API key may not use the model ${JSON.stringify(model)}: it is outside the key's model scopes.`, { code: 'model_not_allowed', param: 'model' });
}

export function notFound(message: string, code = 'not_found', param: string | null = null): ModelmartError {
  return new ModelmartError(404, message, { code, param });
}

export function conflict(message: string, code = 'conflict'): ModelmartError {
  return new ModelmartError(409, message, { code });
}

export function serviceUnavailable(message: string, code = 'service_unavailable'): ModelmartError {
  return new ModelmartError(503, message, { code });
}

export function internalError(cause: unknown): ModelmartError {
  return new ModelmartError(500, 'The server had an error while processing your request.', {
    code: 'internal_error',
    cause,
  });
}

/** Turns anything thrown into a ModelmartError, keeping ModelmartErrors as they are. */
export function toModelmartError(error: unknown): ModelmartError {
  return error instanceof ModelmartError ? error : internalError(error);
}
