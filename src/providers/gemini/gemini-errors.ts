// Gemini error bodies → UpstreamError. Google writes `{"error":{"code","message","status"}}`,
// sometimes wrapped in a one-element array; the status name (RESOURCE_EXHAUSTED…) is the code.
import { UpstreamError } from '../provider-errors.js';
import { geminiErrorBodySchema, type GeminiErrorObject } from './gemini-api-types.js';

function errorObjectOf(body: unknown): GeminiErrorObject | undefined {
  const candidate: unknown = Array.isArray(body) ? body[0] : body;
  const parsed = geminiErrorBodySchema.safeParse(candidate);
  return parsed.success ? parsed.data.error : undefined;
}

export function describeGeminiError(body: unknown): { message: string; code: string | null } | undefined {
  const error = errorObjectOf(body);
  if (error === undefined) return undefined;
  return { message: error.message, code: error.status === undefined ? null : error.status.toLowerCase() };
}

/** An error object that arrived as a stream event, where no HTTP status comes with it. */
export function geminiStreamError(provider: string, body: unknown, afterFirstByte: boolean): UpstreamError | undefined {
  const error = errorObjectOf(body);
  if (error === undefined) return undefined;
  return new UpstreamError({
    provider,
    status: error.code !== undefined && error.code >= 400 && error.code < 600 ? error.code : 502,
    message: error.message,
    code: error.status === undefined ? null : error.status.toLowerCase(),
    afterFirstByte,
  });
}
