// The shapes an evaluation run is made of: what a caller asks for, the parameters stored with
// the run, and the request stored with each item. One zod schema each; types come from them.
import { z } from 'zod';
import { benchmarkNameSchema } from '../score/benchmark-scorer.js';
import { promptSettingSchema } from '../prompts/item-prompt-builder.js';

/** Chat models get few-shot examples as turns; completion models the plain prompt text. */
export const runApiSchema = z.enum(['chat', 'completion']);
export type RunApi = z.infer<typeof runApiSchema>;

export const runStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const itemStatusSchema = z.enum(['pending', 'claimed', 'done', 'failed']);
export type ItemStatus = z.infer<typeof itemStatusSchema>;

/** What `eval run` and POST /admin/v1/evaluations accept. */
export const runRequestSchema = z
  .object({
    benchmark: benchmarkNameSchema,
    model: z.string().min(1).max(300),
    setting: promptSettingSchema.default('default'),
    api: runApiSchema.default('chat'),
    limit: z.number().int().positive().optional(),
    subjects: z.array(z.string().min(1)).min(1).optional(),
    samples: z.number().int().min(1).max(200).default(1),
    seed: z.number().int().nonnegative().default(1234),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().positive().max(32_768).optional(),
    data_directory: z.string().min(1).optional(),
  })
  .strict();
export type RunRequest = z.infer<typeof runRequestSchema>;
export type RunRequestInput = z.input<typeof runRequestSchema>;

/** The parameters stored with a run, all resolved (defaults filled in). */
export const runParametersSchema = z.object({
  api: runApiSchema.default('chat'),
  limit: z.number().int().positive().nullable(),
  subjects: z.array(z.string()).nullable(),
  samples: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
  temperature: z.number(),
  max_tokens: z.number().int().positive(),
  data_directory: z.string(),
});
export type RunParameters = z.infer<typeof runParametersSchema>;

/** A chat request (messages) or, for completion models, a legacy completion request (prompt). */
export const chatRequestBodySchema = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).optional(),
  prompt: z.string().optional(),
  temperature: z.number(),
  max_tokens: z.number().int().positive(),
  stop: z.array(z.string()).max(4).optional(),
  seed: z.number().int().optional(),
});
export type ChatRequestBody = z.infer<typeof chatRequestBodySchema>;

/** Stored with each item: what is sent, the reference it is scored against, and every stop sequence. */
export const itemRequestSchema = z.object({
  body: chatRequestBodySchema,
  /** The benchmark's stop sequences (the upstream takes at most four; the rest are applied here). */
  stop: z.array(z.string()),
  reference: z.string().nullable(),
});
export type ItemRequest = z.infer<typeof itemRequestSchema>;

export const itemScoreSchema = z.object({ correct: z.boolean().nullable(), answer: z.string().optional() });
export type ItemScore = z.infer<typeof itemScoreSchema>;

export const scoreReportSchema = z.object({
  benchmark: benchmarkNameSchema,
  n: z.number(),
  metrics: z.record(z.string(), z.number()),
  invalid: z.number().optional(),
  samples: z.number().optional(),
  outcomes: z.record(z.string(), z.number()).optional(),
  subjects: z.record(z.string(), z.number()).optional(),
  categories: z.record(z.string(), z.number()).optional(),
});
