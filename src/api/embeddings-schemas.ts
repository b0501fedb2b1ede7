// OpenAI Embeddings wire format: POST /v1/embeddings requests (validated at the edge) and the
// response every provider's embeddings are returned in.
import { z } from 'zod';

/** OpenAI's limit on the number of inputs in one request. */
export const maximumEmbeddingInputs = 2048;

const tokenArraySchema = z.array(z.number().int().nonnegative()).min(1, 'a token array must not be empty');

export const embeddingsInputSchema = z.union(
  [
    z.string().min(1, 'input must not be an empty string'),
    z.array(z.string().min(1, 'input strings must not be empty')).min(1, 'input must not be empty').max(maximumEmbeddingInputs),
    tokenArraySchema,
    z.array(tokenArraySchema).min(1, 'input must not be empty').max(maximumEmbeddingInputs),
  ],
  { error: 'input must be a string, an array of strings, an array of token ids, or an array of token-id arrays' },
);
export type EmbeddingsInput = z.infer<typeof embeddingsInputSchema>;

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1, 'model is required'),
  input: embeddingsInputSchema,
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});
export type EmbeddingsRequestBody = z.infer<typeof embeddingsRequestSchema>;

export const embeddingsUsageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
});
export type EmbeddingsUsage = z.infer<typeof embeddingsUsageSchema>;

export const embeddingSchema = z.object({
  object: z.literal('embedding'),
  index: z.number().int().nonnegative(),
  /** Floats, or with `encoding_format: "base64"` the little-endian float32 bytes in base64. */
  embedding: z.union([z.array(z.number()), z.string()]),
});
export type Embedding = z.infer<typeof embeddingSchema>;

export const embeddingsResponseSchema = z.object({
  object: z.literal('list'),
  data: z.array(embeddingSchema),
  model: z.string(),
  usage: embeddingsUsageSchema,
});
export type EmbeddingsResponse = z.infer<typeof embeddingsResponseSchema>;

/** Encodes float embeddings as OpenAI does for `encoding_format: "base64"`. */
export function encodeEmbeddingBase64(embedding: readonly number[]): string {
  const floats = Float32Array.from(embedding);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
