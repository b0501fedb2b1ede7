// OpenAI legacy Completions wire format: POST /v1/completions requests (validated at the edge),
// the response, and the stream chunk, which has the response's shape.
import { z } from 'zod';
import { maximumChoices, usageSchema } from './chat-schemas.js';

export const textCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, 'model is required'),
  prompt: z.union([z.string(), z.array(z.string()).min(1, 'prompt must not be empty')], { error: 'prompt must be a string or an array of strings' }),
  suffix: z.string().nullish(),
  max_tokens: z.number().int().nonnegative().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(maximumChoices).nullish(),
  best_of: z.number().int().min(1).max(20).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  logprobs: z.number().int().min(0).max(5).nullish(),
  echo: z.boolean().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
});
export type TextCompletionRequest = z.infer<typeof textCompletionRequestSchema>;

export const textCompletionFinishReasonSchema = z.enum(['stop', 'length', 'content_filter']);

export const textCompletionLogprobsSchema = z.looseObject({
  tokens: z.array(z.string()).optional(),
  token_logprobs: z.array(z.number().nullable()).optional(),
  top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullish(),
  text_offset: z.array(z.number().int()).optional(),
});

export const textCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('text_completion'),
  created: z.number(),
  model: z.string(),
  system_fingerprint: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      text: z.string(),
      logprobs: textCompletionLogprobsSchema.nullish(),
      finish_reason: textCompletionFinishReasonSchema.nullable(),
    }),
  ),
  usage: usageSchema.nullish(),
});
export type TextCompletion = z.infer<typeof textCompletionSchema>;

/** Streamed legacy completions send objects of the response's own shape, one per piece of text. */
export const textCompletionChunkSchema = textCompletionSchema;
export type TextCompletionChunk = TextCompletion;
