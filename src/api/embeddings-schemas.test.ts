import { describe, expect, it } from 'vitest';
import { encodeEmbeddingBase64, embeddingsRequestSchema, embeddingsResponseSchema } from './embeddings-schemas.js';
import { parseBody } from './validation-errors.js';

describe('embeddings request schema', () => {
  it('accepts every input form OpenAI accepts', () => {
    for (const input of ['hello', ['a', 'b'], [1, 2, 3], [[1, 2], [3]]]) {
      expect(embeddingsRequestSchema.safeParse({ model: 'text-embedding-3-small', input }).success).toBe(true);
    }
    const parsed = parseBody(embeddingsRequestSchema, { model: 'm', input: 'x', encoding_format: 'base64', dimensions: 256, user: 'u-1' });
    expect(parsed).toEqual({ model: 'm', input: 'x', encoding_format: 'base64', dimensions: 256, user: 'u-1' });
  });

  it('rejects empty and malformed input with a 400 naming the parameter', () => {
    for (const input of ['', [], [''], [[]], [1.5], { text: 'x' }, ['a', 1]]) {
      expect(embeddingsRequestSchema.safeParse({ model: 'm', input }).success, JSON.stringify(input)).toBe(false);
    }
    expect(() => parseBody(embeddingsRequestSchema, { model: 'm', input: 'x', encoding_format: 'int8' })).toThrow(/encoding_format/);
    expect(() => parseBody(embeddingsRequestSchema, { model: 'm', input: 'x', dimensions: 0 })).toThrow(/dimensions/);
  });

  it('caps the number of inputs', () => {
    expect(embeddingsRequestSchema.safeParse({ model: 'm', input: new Array(2049).fill('x') }).success).toBe(false);
  });
});

describe('embeddings response', () => {
  it('validates the OpenAI response shape', () => {
    const response = {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 2, total_tokens: 2 },
    };
    expect(embeddingsResponseSchema.parse(response)).toEqual(response);
  });

  it('encodes floats as little-endian float32 base64, as OpenAI does', () => {
    const encoded = encodeEmbeddingBase64([1, -2.5]);
    const bytes = Buffer.from(encoded, 'base64');
    expect(bytes.length).toBe(8);
    expect(bytes.readFloatLE(0)).toBe(1);
    expect(bytes.readFloatLE(4)).toBe(-2.5);
  });
});
