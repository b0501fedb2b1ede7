import { describe, expect, it } from 'vitest';
import { convertJsonSchemaToGemini } from './convert-json-schema-to-gemini.js';

describe('convertJsonSchemaToGemini', () => {
  it('strips keywords Gemini rejects and keeps the ones it accepts', () => {
    expect(
      convertJsonSchemaToGemini({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          city: { type: 'string', description: 'City name', minLength: 1, format: 'uri' },
          when: { type: 'string', format: 'date-time' },
          tags: { type: 'array', items: { type: 'string', additionalProperties: false }, maxItems: 3 },
        },
        required: ['city', 'missing'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name', minLength: 1 },
        when: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      },
      required: ['city'],
    });
  });

  it('folds null into nullable and turns const and enums into string enums', () => {
    expect(
      convertJsonSchemaToGemini({
        type: 'object',
        properties: {
          note: { type: ['string', 'null'] },
          unit: { enum: ['celsius', 'fahrenheit', null] },
          kind: { const: 'weather' },
          either: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        note: { type: 'string', nullable: true },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'], nullable: true },
        kind: { type: 'string', enum: ['weather'] },
        either: { type: 'integer', nullable: true },
      },
    });
  });

  it('inlines local $refs and stops at recursive ones', () => {
    const converted = convertJsonSchemaToGemini({
      type: 'object',
      $defs: { node: { type: 'object', properties: { name: { type: 'string' }, child: { $ref: '#/$defs/node' } } } },
      properties: { root: { $ref: '#/$defs/node' } },
    });
    expect(converted?.['properties']).toMatchObject({ root: { type: 'object', properties: { name: { type: 'string' }, child: { type: 'object' } } } });
    expect(JSON.stringify(converted)).not.toContain('$');
  });

  it('leaves out parameters that describe no properties', () => {
    expect(convertJsonSchemaToGemini({ type: 'object', properties: {}, additionalProperties: false })).toBeUndefined();
    expect(convertJsonSchemaToGemini(undefined)).toBeUndefined();
  });
});
