// Failures of the embedded engine in the one error tree. A model that cannot be loaded is a 503
// (routing may fall back to another target); the message names the file or URI at fault so the
// operator can fix the configuration from the error alone.
import { notFound } from '../../core/index.js';
import type { ModelmartError } from '../../core/index.js';
import { UpstreamError } from '../provider-errors.js';

export function modelUnavailable(provider: string, modelName: string, reason: string, code: string, cause?: unknown): UpstreamError {
  return new UpstreamError({ provider, status: 503, message: `model ${JSON.stringify(modelName)} cannot be loaded: ${reason}`, code }, cause);
}

export function unknownModel(provider: string, modelName: string, known: readonly string[]): ModelmartError {
  return notFound(
    `The llama-cpp provider ${JSON.stringify(provider)} has no model ${JSON.stringify(modelName)} (configured: ${known.join(', ') || 'none'}).`,
    'model_not_found',
    'model',
  );
}

export function generationFailed(provider: string, modelName: string, cause: unknown): UpstreamError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new UpstreamError({ provider, status: 500, message: `model ${JSON.stringify(modelName)} failed while generating: ${detail}`, code: 'engine_error' }, cause);
}

/** The error a caller sees when it aborted, named AbortError like the HTTP adapters' one. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The generation was aborted.', { cause: reason });
  error.name = 'AbortError';
  return error;
}
