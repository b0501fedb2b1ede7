// Anthropic error bodies and stream error events → UpstreamError, keeping the vendor's message
// and the status its error type stands for (overloaded_error is Anthropic's own 529).
import { UpstreamError } from '../provider-errors.js';
import { anthropicErrorBodySchema, type AnthropicErrorObject } from './anthropic-api-types.js';

const statusByErrorType: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Reads `{"type":"error","error":{"type","message"}}`; undefined for any other body. */
export function describeAnthropicError(body: unknown): { message: string; code: string } | undefined {
  const parsed = anthropicErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  return { message: parsed.data.error.message, code: parsed.data.error.type };
}

/** An `error` event inside a stream: no HTTP status arrives with it, so the type implies one. */
export function anthropicStreamError(provider: string, error: AnthropicErrorObject, afterFirstByte: boolean): UpstreamError {
  return new UpstreamError({
    provider,
    status: statusByErrorType[error.type] ?? 502,
    message: error.message,
    code: error.type,
    afterFirstByte,
  });
}
