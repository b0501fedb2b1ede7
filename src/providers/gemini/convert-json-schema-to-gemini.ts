// JSON Schema (as OpenAI tools and response formats carry it) → the OpenAPI subset Gemini
// accepts for function parameters and responseSchema. Gemini rejects keywords it does not know
// (additionalProperties, $schema, $ref, const, type arrays…), so the schema is rebuilt from the
// keywords it does accept, with local $refs inlined and nullable types folded into `nullable`.

type JsonObject = Record<string, unknown>;

const copiedKeywords = [
  'title', 'description', 'default', 'example', 'pattern',
  'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'minimum', 'maximum',
] as const;

// Gemini knows only these formats; any other (uri, email…) is refused, so it is dropped.
const supportedFormats: Readonly<Record<string, readonly string[]>> = {
  string: ['enum', 'date-time'],
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
};

/** How deep $refs are followed; recursive schemas are cut off there instead of looping. */
const maximumReferenceDepth = 8;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveReference(reference: string, root: JsonObject): JsonObject | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(reference);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const definitions = root[match[1]];
  if (!isObject(definitions)) return undefined;
  const target = definitions[decodeURIComponent(match[2]).replace(/~1/g, '/').replace(/~0/g, '~')];
  return isObject(target) ? target : undefined;
}

function convertNode(schema: JsonObject, root: JsonObject, depth: number): JsonObject {
  if (typeof schema['$ref'] === 'string') {
    const target = depth < maximumReferenceDepth ? resolveReference(schema['$ref'], root) : undefined;
    // An unresolvable or too-deep reference still means "some value": an untyped object.
    return target === undefined ? { type: 'object' } : convertNode({ ...target, ...withoutKey(schema, '$ref') }, root, depth + 1);
  }
  const result: JsonObject = {};
  for (const keyword of copiedKeywords) if (schema[keyword] !== undefined) result[keyword] = schema[keyword];

  let type = schema['type'];
  if (Array.isArray(type)) {
    const types = type.filter((entry): entry is string => typeof entry === 'string');
    const nonNull = types.filter((entry) => entry !== 'null');
    if (nonNull.length !== types.length) result['nullable'] = true;
    if (nonNull.length > 1) {
      result['anyOf'] = nonNull.map((entry) => convertNode({ ...schema, type: entry }, root, depth));
      return result;
    }
    type = nonNull[0];
  }
  if (type === 'null') {
    result['nullable'] = true;
    type = undefined;
  }
  if (schema['nullable'] === true) result['nullable'] = true;

  if (schema['const'] !== undefined) {
    result['enum'] = [String(schema['const'])];
    type = 'string';
  } else if (Array.isArray(schema['enum'])) {
    // Gemini enums are lists of strings; a null member becomes `nullable`.
    const values = schema['enum'].filter((value) => value !== null);
    if (values.length !== schema['enum'].length) result['nullable'] = true;
    result['enum'] = values.map((value) => String(value));
    type = 'string';
  }

  const format = schema['format'];
  if (typeof type === 'string' && typeof format === 'string' && supportedFormats[type]?.includes(format) === true) result['format'] = format;

  const properties = schema['properties'];
  if (isObject(properties) && Object.keys(properties).length > 0) {
    const converted: JsonObject = {};
    for (const [name, property] of Object.entries(properties)) converted[name] = isObject(property) ? convertNode(property, root, depth) : {};
    result['properties'] = converted;
    const required = Array.isArray(schema['required']) ? schema['required'].filter((name): name is string => typeof name === 'string' && name in converted) : [];
    if (required.length > 0) result['required'] = required;
    type ??= 'object';
  }

  const items = Array.isArray(schema['items']) ? schema['items'][0] : schema['items'];
  if (isObject(items)) {
    result['items'] = convertNode(items, root, depth);
    type ??= 'array';
  }

  const alternatives = Array.isArray(schema['anyOf']) ? schema['anyOf'] : Array.isArray(schema['oneOf']) ? schema['oneOf'] : undefined;
  if (alternatives !== undefined) {
    const objects = alternatives.filter(isObject);
    const nonNull = objects.filter((alternative) => alternative['type'] !== 'null');
    if (nonNull.length !== objects.length) result['nullable'] = true;
    if (nonNull.length === 1 && nonNull[0] !== undefined) Object.assign(result, convertNode(nonNull[0], root, depth), result['nullable'] === true ? { nullable: true } : {});
    else if (nonNull.length > 1) result['anyOf'] = nonNull.map((alternative) => convertNode(alternative, root, depth));
  }

  if (Array.isArray(schema['allOf'])) {
    // Shallow merge: the common use is one object schema refined by another.
    for (const part of schema['allOf'].filter(isObject)) mergeInto(result, convertNode(part, root, depth));
  }

  if (typeof type === 'string' && result['type'] === undefined) result['type'] = type;
  return result;
}

function withoutKey(schema: JsonObject, key: string): JsonObject {
  const copy = { ...schema };
  delete copy[key];
  return copy;
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (key === 'properties' && isObject(existing) && isObject(value)) target[key] = { ...existing, ...value };
    else if (key === 'required' && Array.isArray(existing) && Array.isArray(value)) target[key] = [...new Set([...existing, ...value])];
    else target[key] ??= value;
  }
}

/** Converts a JSON Schema to Gemini's subset; undefined when nothing is left to say. */
export function convertJsonSchemaToGemini(schema: Readonly<Record<string, unknown>> | undefined): JsonObject | undefined {
  if (schema === undefined) return undefined;
  const converted = convertNode({ ...schema }, { ...schema }, 0);
  // Gemini refuses an object schema without properties as function parameters.
  if (converted['type'] === 'object' && converted['properties'] === undefined && converted['anyOf'] === undefined) return undefined;
  return converted;
}
