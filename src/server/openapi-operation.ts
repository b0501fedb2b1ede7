// One operation of the OpenAPI document, and request bodies as JSON Schema generated from the
// zod schemas that validate them, so the document cannot drift from the code.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

export function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

export interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly body?: JsonSchema;
  readonly authenticated: boolean;
}
