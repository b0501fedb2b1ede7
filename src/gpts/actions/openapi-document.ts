// Reading an OpenAPI 3.0/3.1 document a builder imports: JSON or YAML text (or an object), the
// parts a tool needs validated with zod, and local `$ref`s (`#/components/...`) checked and
// resolved. Every problem is a 400 `invalid_openapi` whose param is the JSON path of the problem,
// so the builder can find it in their document.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ModelmartError } from '../../core/index.js';

export type JsonPath = readonly (string | number)[];

/** `$.paths["/pets/{id}"].get.parameters[0]`: identifiers with dots, anything else quoted. */
export function formatJsonPath(path: JsonPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return /^[A-Za-z_$][\w$]*$/.test(segment) ? `${text}.${segment}` : `${text}[${JSON.stringify(segment)}]`;
  }, '$');
}

export function invalidOpenApi(message: string, path: JsonPath): ModelmartError {
  const where = formatJsonPath(path);
  return new ModelmartError(400, `Invalid OpenAPI document at ${where}: ${message}`, { code: 'invalid_openapi', param: where });
}

const schemaObject = z.record(z.string(), z.unknown());
const referenceSchema = z.looseObject({ $ref: z.string() });

export const parameterSchema = z.looseObject({
  name: z.string().min(1),
  in: z.enum(['path', 'query', 'header', 'cookie']),
  description: z.string().optional(),
  required: z.boolean().optional(),
  schema: schemaObject.optional(),
});
export type OpenApiParameter = z.infer<typeof parameterSchema>;

export const requestBodySchema = z.looseObject({
  description: z.string().optional(),
  required: z.boolean().optional(),
  content: z.record(z.string(), z.looseObject({ schema: schemaObject.optional() })),
});
export type OpenApiRequestBody = z.infer<typeof requestBodySchema>;

export const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof httpMethods)[number];

const operationSchema = z.looseObject({
  operationId: z.string().min(1).optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  parameters: z.array(z.union([referenceSchema, parameterSchema])).optional(),
  requestBody: z.union([referenceSchema, requestBodySchema]).optional(),
});
export type OpenApiOperation = z.infer<typeof operationSchema>;

const pathItemSchema = z.looseObject({
  parameters: z.array(z.union([referenceSchema, parameterSchema])).optional(),
  get: operationSchema.optional(),
  put: operationSchema.optional(),
  post: operationSchema.optional(),
  delete: operationSchema.optional(),
  patch: operationSchema.optional(),
  head: operationSchema.optional(),
  options: operationSchema.optional(),
});

export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.[01]\.\d+$/, 'must be an OpenAPI version 3.0.x or 3.1.x'),
  info: z.looseObject({ title: z.string(), description: z.string().optional() }),
  servers: z.array(z.looseObject({ url: z.string(), variables: z.record(z.string(), z.looseObject({ default: z.string() })).optional() })).optional(),
  paths: z.record(z.string().startsWith('/', 'a path must start with /'), pathItemSchema),
  components: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;

function parseText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw invalidOpenApi(`not valid JSON (${(error as Error).message})`, []);
    }
  }
  try {
    return parseYaml(trimmed);
  } catch (error) {
    throw invalidOpenApi(`neither JSON nor valid YAML (${(error as Error).message.split('\n')[0] ?? ''})`, []);
  }
}

/** Walks every `$ref` in the document and refuses external ones and those that point nowhere. */
function checkReferences(document: unknown, value: unknown, path: (string | number)[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkReferences(document, item, [...path, index]));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  const reference = record['$ref'];
  if (typeof reference === 'string') {
    if (!reference.startsWith('#/')) throw invalidOpenApi(`the reference ${JSON.stringify(reference)} is not local; only references inside the document (#/components/...) are supported`, [...path, '$ref']);
    if (resolvePointer(document, reference) === undefined) throw invalidOpenApi(`the reference ${JSON.stringify(reference)} points to nothing in the document`, [...path, '$ref']);
  }
  for (const [key, child] of Object.entries(record)) checkReferences(document, child, [...path, key]);
}

/** The value at a local JSON pointer (`#/components/schemas/Pet`), or undefined. */
export function resolvePointer(document: unknown, reference: string): unknown {
  const segments = reference
    .slice(2)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~'));
  let current: unknown = document;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Parses and validates a document; `raw` is the parsed value, kept to store what was imported. */
export function readOpenApiDocument(source: unknown): { readonly document: OpenApiDocument; readonly raw: Record<string, unknown> } {
  const raw = typeof source === 'string' ? parseText(source) : source;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidOpenApi('the document must be an object', []);
  const parsed = openApiDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidOpenApi(issue?.message ?? 'invalid', (issue?.path ?? []).map((segment) => (typeof segment === 'number' ? segment : String(segment))));
  }
  checkReferences(raw, raw, []);
  return { document: parsed.data, raw: raw as Record<string, unknown> };
}

/** Follows `$ref`s (already checked to exist) until a value that is not a reference. */
export function dereference(document: unknown, value: unknown): unknown {
  let current = value;
  for (let hops = 0; hops < 32; hops += 1) {
    if (typeof current !== 'object' || current === null) return current;
    const reference = (current as Record<string, unknown>)['$ref'];
    if (typeof reference !== 'string') return current;
    current = resolvePointer(document, reference);
  }
  return current;
}
