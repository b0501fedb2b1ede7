import { describe, expect, it } from 'vitest';
import { ModelmartError, invalidApiKey, toModelmartError } from './errors.js';

describe('ModelmartError', () => {
  it('writes the OpenAI error body', () => {
    const error = new ModelmartError(400, 'bad temperature', { param: 'temperature', code: 'invalid_value' });
    expect(error.toBody()).toEqual({ error: { message: 'bad temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } });
    expect(error.retryable).toBe(false);
  });

  it('marks 429 and 5xx retryable and picks types by status', () => {
    expect(new ModelmartError(429, 'slow down').type).toBe('rate_limit_error');
    expect(new ModelmartError(503, 'down').retryable).toBe(true);
    expect(invalidApiKey().status).toBe(401);
    expect(invalidApiKey().code).toBe('invalid_api_key');
  });

  it('hides unexpected errors behind a 500 without leaking their message', () => {
    const wrapped = toModelmartError(new Error('secret stack detail'));
    expect(wrapped.status).toBe(500);
    expect(wrapped.message).not.toContain('secret');
  });
});
