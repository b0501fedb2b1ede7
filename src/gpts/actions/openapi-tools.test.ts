import { describe, expect, it } from 'vitest';
import { ModelmartError } from '../../core/index.js';
import { importOpenApi } from './openapi-tools.js';

const petStore30 = {
  openapi: '3.0.3',
  info: { title: 'Pet store', version: '1' },
  servers: [{ url: 'https://{region}.pets.example/v1', variables: { region: { default: 'eu' } } }],
  paths: {
    '/pets/{petId}': {
      parameters: [{ $ref: '#/components/parameters/PetId' }],
      get: {
        operationId: 'get pet by id!',
        summary: 'Find a pet',
        description: 'Returns one pet.',
        parameters: [
          { name: 'verbose', in: 'query', schema: { type: 'boolean' } },
          { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'session', in: 'cookie', schema: { type: 'string' } },
        ],
      },
      put: {
        operationId: 'updatePet',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
      },
    },
    '/pets': {
      get: { operationId: 'get pet by id', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, exclusiveMaximum: true, maximum: 100 } }] },
    },
  },
  components: {
    parameters: { PetId: { name: 'petId', in: 'path', required: true, schema: { type: 'integer' } } },
    schemas: {
      Pet: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, tag: { type: 'string', nullable: true }, example: { type: 'string' }, parent: { $ref: '#/components/schemas/Pet' } },
        example: { name: 'Rex' },
      },
    },
  },
};

function importError(source: unknown, options: { baseUrl?: string } = {}): ModelmartError {
  try {
    importOpenApi(source, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelmartError);
    return error as ModelmartError;
  }
  throw new Error('the import succeeded');
}

describe('importOpenApi', () => {
  it('turns an OpenAPI 3.0 document into tools with sanitised unique names and combined parameters', () => {
    const imported = importOpenApi(petStore30);
    expect(imported.title).toBe('Pet store');
    expect(imported.baseUrl).toBe('https://eu.pets.example/v1');
    expect(imported.tools.map((tool) => tool.name)).toEqual(['get_pet_by_id', 'updatePet', 'get_pet_by_id_2']);
    const [getPet, updatePet, listPets] = imported.tools;
    expect(getPet?.description).toBe('Find a pet\n\nReturns one pet.');
    expect(getPet?.method).toBe('get');
    expect(getPet?.parameters).toEqual([
      { name: 'petId', in: 'path', required: true, argument: 'petId' },
      { name: 'verbose', in: 'query', required: false, argument: 'verbose' },
      { name: 'X-Trace', in: 'header', required: true, argument: 'X-Trace' },
    ]);
    expect(getPet?.argumentsSchema).toEqual({
      type: 'object',
      properties: { petId: { type: 'integer' }, verbose: { type: 'boolean' }, 'X-Trace': { type: 'string' } },
      required: ['petId', 'X-Trace'],
      additionalProperties: false,
    });
    // The JSON body sits under `body`; $refs are inlined, recursion is cut, nullable becomes a type list.
    expect(updatePet?.bodyArgument).toBe('body');
    const body = (updatePet?.argumentsSchema['properties'] as Record<string, Record<string, unknown>>)['body'];
    expect(body?.['required']).toEqual(['name']);
    const properties = body?.['properties'] as Record<string, Record<string, unknown>>;
    expect(properties['tag']).toEqual({ type: ['string', 'null'] });
    expect(properties['example']).toEqual({ type: 'string' });
    expect(properties['parent']?.['description']).toContain('recursive');
    expect(body?.['example']).toBeUndefined();
    expect(updatePet?.argumentsSchema['required']).toEqual(['petId', 'body']);
    // Boolean exclusive bounds of 3.0 become numbers.
    expect((listPets?.argumentsSchema['properties'] as Record<string, unknown>)['limit']).toEqual({ type: 'integer', minimum: 1, exclusiveMaximum: 100 });
  });

  it('imports OpenAPI 3.1 written in YAML, resolving a relative server against the explicit base', () => {
    const yaml = `
openapi: 3.1.0
info:
  title: Weather
servers:
  - url: /api
paths:
  /forecast:
    post:
      operationId: forecast
      summary: Forecast for a city
      parameters:
        - name: body
          in: query
          schema: { type: string }
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                city: { type: [string, "null"] }
                days: { type: integer, exclusiveMinimum: 0 }
`;
    expect(importError(yaml).param).toBe('$.servers[0].url');
    const imported = importOpenApi(yaml, { baseUrl: 'http://weather.example:8080/' });
    expect(imported.baseUrl).toBe('http://weather.example:8080/api');
    const [tool] = imported.tools;
    expect(tool?.bodyArgument).toBe('requestBody');
    expect(tool?.argumentsSchema['properties']).toMatchObject({ body: { type: 'string' }, requestBody: { properties: { city: { type: ['string', 'null'] }, days: { exclusiveMinimum: 0 } } } });
  });

  it('refuses an invalid document with 400 invalid_openapi and the JSON path of the problem', () => {
    const notOpenApi = importError({ swagger: '2.0', info: { title: 'x' }, paths: {} });
    expect(notOpenApi.status).toBe(400);
    expect(notOpenApi.code).toBe('invalid_openapi');
    expect(notOpenApi.param).toBe('$.openapi');
    const badParameter = importError({ ...petStore30, paths: { '/x': { get: { parameters: [{ name: 'q', in: 'body' }] } } } });
    expect(badParameter.param).toBe('$.paths["/x"].get.parameters[0]');
    expect(importError('{ not json').message).toContain('not valid JSON');
    expect(importError('- just\n- a list').message).toContain('must be an object');
    expect(importError({ ...petStore30, paths: {} }).param).toBe('$.paths');
  });

  it('refuses a reference to a missing schema, naming where the reference is', () => {
    const document = structuredClone(petStore30) as Record<string, unknown>;
    (document['components'] as { schemas: Record<string, unknown> }).schemas = {};
    const error = importError(document);
    expect(error.code).toBe('invalid_openapi');
    expect(error.param).toBe('$.paths["/pets/{petId}"].put.requestBody.content["application/json"].schema.$ref');
    expect(error.message).toContain('#/components/schemas/Pet');
    const external = importError({ ...petStore30, paths: { '/x': { get: { parameters: [{ $ref: 'https://elsewhere.example/p.json' }] } } } });
    expect(external.message).toContain('not local');
  });
});
