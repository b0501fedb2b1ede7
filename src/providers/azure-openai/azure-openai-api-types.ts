// Zod schema for Azure OpenAI's embeddings answer (chat answers use the OpenAI schemas in api/).
import { z } from 'zod';

export const azureEmbeddingsResponseSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z.looseObject({ prompt_tokens: z.number().int().nonnegative(), total_tokens: z.number().int().nonnegative() }),
});
