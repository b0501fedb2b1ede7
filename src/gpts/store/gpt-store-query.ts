// Parses a store request's query string or body with zod into a 400 that names the parameter:
// an unknown parameter, a sort that does not exist, a limit out of range.
import type { z } from 'zod';
import { invalidRequest, ModelmartError } from '../../core/index.js';
import { zodErrorToModelmartError } from '../../api/index.js';

export function parseStoreQuery<Shape extends z.ZodType>(schema: Shape, input: unknown): z.infer<Shape> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const name = issue.keys[0] ?? '';
    return unknownParameter(name);
  }
  throw zodErrorToModelmartError(result.error);
}

function unknownParameter(name: string): never {
  throw invalidRequest(`Unknown parameter '${name}'.`, name, 'unknown_parameter');
}

/** A 422 for input that is well formed but does not hold (a domain whose proof is not found). */
export function unprocessable(message: string, code: string, param: string | null = null): ModelmartError {
  return new ModelmartError(422, message, { code, param });
}
