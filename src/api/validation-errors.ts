// Turns a zod validation failure of a request body into a 400 that names the offending param.
import type { ZodError } from 'zod';
import { formatPropertyPath, ModelmartError } from '../core/index.js';

export function zodErrorToModelmartError(error: ZodError): ModelmartError {
  const issue = error.issues[0];
  if (issue === undefined) return new ModelmartError(400, 'Invalid request body.', { code: 'invalid_request' });
  const param = formatPropertyPath(issue.path);
  const message = param === '' ? `Invalid request body: ${issue.message}` : `Invalid value for '${param}': ${issue.message}`;
  const extra = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new ModelmartError(400, `${message}${extra}`, { param: param === '' ? null : param, code: 'invalid_request' });
}

/** Parses a request body with a zod schema, throwing the OpenAI-shaped 400 on failure. */
export function parseBody<Output>(schema: { safeParse(input: unknown): { success: true; data: Output } | { success: false; error: ZodError } }, body: unknown): Output {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ModelmartError(400, 'The request body must be a JSON object.', { code: 'invalid_request' });
  }
  const result = schema.safeParse(body);
  if (!result.success) throw zodErrorToModelmartError(result.error);
  return result.data;
}
