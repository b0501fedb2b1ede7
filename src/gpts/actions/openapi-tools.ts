// An imported OpenAPI document becomes tools: one per operation, named from its operationId,
// described by its summary and description, taking one arguments object. Path, query and header
// parameters are properties of that object under their own names; an application/json request
// body is the property `body` (or `requestBody` when a parameter is already called body). Schemas
// are inlined ($refs resolved, recursion cut) and OpenAPI 3.0's dialect is turned into JSON
// Schema (nullable, boolean exclusive bounds) so one validator checks both versions.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { OpenApiTool } from './gpt-action-schemas.js';
import {
  dereference,
  httpMethods,
  invalidOpenApi,
  parameterSchema,
  readOpenApiDocument,
  requestBodySchema,
  type JsonPath,
  type OpenApiDocument,
  type OpenApiParameter,
} from './openapi-document.js';

export interface ImportedOpenApi {
  readonly title: string;
  readonly baseUrl: string;
  readonly document: Record<string, unknown>;
  readonly tools: readonly OpenApiTool[];
}

const maximumSchemaDepth = 64;
const maximumDescriptionLength = 1_024;
/** Keywords of OpenAPI's schema dialect that JSON Schema validators do not know and tools do not need. */
const droppedKeywords = new Set(['discriminator', 'xml', 'externalDocs', 'example']);

const schemaMapKeywords = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const schemaKeywords = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems']);
const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** Copies a schema with every $ref inlined; a reference to a schema already being inlined stops the recursion. */
function inlineSchema(document: unknown, value: unknown, openApi30: boolean, inProgress: readonly string[], depth: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  if (depth > maximumSchemaDepth) return {};
  const record = value as Record<string, unknown>;
  const reference = record['$ref'];
  if (typeof reference === 'string') {
    if (inProgress.includes(reference)) return { description: `(recursive: see ${reference.split('/').at(-1) ?? reference})` };
    return inlineSchema(document, dereference(document, record), openApi30, [...inProgress, reference], depth + 1);
  }
  const inline = (child: unknown): unknown => inlineSchema(document, child, openApi30, inProgress, depth + 1);
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) {
    if (droppedKeywords.has(key)) continue;
    if (schemaMapKeywords.has(key) && typeof child === 'object' && child !== null && !Array.isArray(child)) {
      copy[key] = Object.fromEntries(Object.entries(child).map(([name, schema]) => [name, inline(schema)]));
    } else if (schemaListKeywords.has(key) && Array.isArray(child)) {
      copy[key] = child.map(inline);
    } else if (schemaKeywords.has(key)) {
      copy[key] = Array.isArray(child) ? child.map(inline) : inline(child);
    } else {
      copy[key] = child;
    }
  }
  return openApi30 ? convertOpenApi30Keywords(copy) : copy;
}

function convertOpenApi30Keywords(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema['nullable'] === true && typeof schema['type'] === 'string') schema['type'] = [schema['type'], 'null'];
  if (typeof schema['nullable'] === 'boolean') delete schema['nullable'];
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else if (typeof schema[exclusive] === 'boolean') {
      delete schema[exclusive];
    }
  }
  return schema;
}

function sanitiseToolName(text: string): string {
  const cleaned = text.replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return (cleaned === '' ? 'operation' : cleaned).slice(0, 64);
}

/** Makes `name` unique among `taken` by a numeric suffix, staying within 64 characters. */
export function uniqueToolName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let counter = 2; ; counter += 1) {
    const suffix = `_${counter}`;
    const candidate = `${name.slice(0, 64 - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function describeOperation(summary: string | undefined, description: string | undefined, method: string, path: string): string {
  const parts = [summary, description].filter((part): part is string => part !== undefined && part.trim() !== '');
  const text = parts.length === 0 ? `${method.toUpperCase()} ${path}` : [...new Set(parts)].join('\n\n');
  return text.length > maximumDescriptionLength ? `${text.slice(0, maximumDescriptionLength - 1)}…` : text;
}

function readParameter(document: unknown, value: unknown, path: JsonPath): OpenApiParameter {
  const parsed = parameterSchema.safeParse(dereference(document, value));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidOpenApi(issue?.message ?? 'invalid parameter', [...path, ...(issue?.path ?? []).map((segment) => (typeof segment === 'number' ? segment : String(segment)))]);
  }
  return parsed.data;
}

/** The media type whose schema describes a JSON body: application/json or a +json type. */
function jsonMediaSchema(content: Record<string, { schema?: Record<string, unknown> | undefined }>): Record<string, unknown> | undefined {
  const entry = Object.entries(content).find(([mediaType]) => /^application\/(.+\+)?json\b/i.test(mediaType));
  return entry === undefined ? undefined : (entry[1].schema ?? {});
}

function baseUrlOf(document: OpenApiDocument, explicitBaseUrl: string | undefined): string {
  const server = document.servers?.[0];
  if (server === undefined) {
    if (explicitBaseUrl === undefined) throw invalidOpenApi('the document names no servers; send base_url with the action', ['servers']);
    return explicitBaseUrl.replace(/\/+$/, '');
  }
  const url = server.url.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const variable = server.variables?.[name];
    if (variable === undefined) throw invalidOpenApi(`the server URL uses the variable ${JSON.stringify(name)} without a default`, ['servers', 0, 'variables']);
    return variable.default;
  });
  let absolute: URL;
  try {
    absolute = explicitBaseUrl === undefined ? new URL(url) : new URL(url, explicitBaseUrl);
  } catch {
    throw invalidOpenApi(`the server URL ${JSON.stringify(url)} is relative; send base_url (an absolute http or https URL) with the action`, ['servers', 0, 'url']);
  }
  if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') throw invalidOpenApi(`the server URL ${JSON.stringify(url)} is not http or https`, ['servers', 0, 'url']);
  return absolute.toString().replace(/\/+$/, '');
}

/** Imports a document (text or object) into tools; `baseUrl` is needed only for relative server URLs. */
export function importOpenApi(source: unknown, options: { readonly baseUrl?: string } = {}): ImportedOpenApi {
  const { document, raw } = readOpenApiDocument(source);
  const openApi30 = document.openapi.startsWith('3.0');
  const validator = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const tools: OpenApiTool[] = [];
  const taken = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of httpMethods) {
      const operation = item[method];
      if (operation === undefined) continue;
      const where: JsonPath = ['paths', path, method];
      const byKey = new Map<string, OpenApiParameter>();
      (item.parameters ?? []).forEach((value, index) => {
        const parameter = readParameter(raw, value, ['paths', path, 'parameters', index]);
        byKey.set(`${parameter.in}:${parameter.name}`, parameter);
      });
      (operation.parameters ?? []).forEach((value, index) => {
        const parameter = readParameter(raw, value, [...where, 'parameters', index]);
        byKey.set(`${parameter.in}:${parameter.name}`, parameter);
      });
      const parameters = [...byKey.values()].filter((parameter) => parameter.in !== 'cookie');
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      const toolParameters: OpenApiTool['parameters'] = [];
      for (const parameter of parameters) {
        const shared = parameters.filter((other) => other.name === parameter.name).length > 1;
        const argument = shared ? `${parameter.in}_${parameter.name}` : parameter.name;
        const schema = inlineSchema(raw, parameter.schema ?? { type: 'string' }, openApi30, [], 0) as Record<string, unknown>;
        properties[argument] = parameter.description === undefined || 'description' in schema ? schema : { ...schema, description: parameter.description };
        const isRequired = parameter.in === 'path' || parameter.required === true;
        if (isRequired) required.push(argument);
        toolParameters.push({ name: parameter.name, in: parameter.in as 'path' | 'query' | 'header', required: isRequired, argument });
      }
      let bodyArgument: string | null = null;
      if (operation.requestBody !== undefined) {
        const parsedBody = requestBodySchema.safeParse(dereference(raw, operation.requestBody));
        if (!parsedBody.success) throw invalidOpenApi(parsedBody.error.issues[0]?.message ?? 'invalid request body', [...where, 'requestBody']);
        const bodySchema = jsonMediaSchema(parsedBody.data.content);
        if (bodySchema !== undefined) {
          bodyArgument = 'body' in properties ? 'requestBody' : 'body';
          const inlined = inlineSchema(raw, bodySchema, openApi30, [], 0) as Record<string, unknown>;
          properties[bodyArgument] = parsedBody.data.description === undefined || 'description' in inlined ? inlined : { ...inlined, description: parsedBody.data.description };
          if (parsedBody.data.required === true) required.push(bodyArgument);
        }
      }
      const argumentsSchema: Record<string, unknown> = { type: 'object', properties, additionalProperties: false };
      if (required.length > 0) argumentsSchema['required'] = required;
      try {
        validator.compile(argumentsSchema);
      } catch (error) {
        throw invalidOpenApi(`the operation's schemas are not valid JSON Schema (${(error as Error).message})`, where);
      }
      const name = uniqueToolName(sanitiseToolName(operation.operationId ?? `${method}_${path}`), taken);
      taken.add(name);
      tools.push({ name, description: describeOperation(operation.summary, operation.description, method, path), method, path, parameters: toolParameters, bodyArgument, argumentsSchema });
    }
  }
  if (tools.length === 0) throw invalidOpenApi('the document has no operations to turn into tools', ['paths']);
  return { title: document.info.title, baseUrl: baseUrlOf(document, options.baseUrl), document: raw, tools };
}
