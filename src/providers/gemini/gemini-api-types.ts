// Zod schemas for what the Gemini API sends back: GenerateContentResponse (whole, or one per
// stream event) and the error body. Loose objects, so fields Google adds do not break parsing.
import { z } from 'zod';

export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  /** Marks a thought summary: reasoning, not answer text. */
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z.looseObject({ name: z.string(), args: z.record(z.string(), z.unknown()).nullish(), id: z.string().optional() }).optional(),
});
export type GeminiPart = z.infer<typeof geminiPartSchema>;

export const geminiCandidateSchema = z.looseObject({
  // Absent when the candidate was blocked before producing anything.
  content: z.looseObject({ role: z.string().optional(), parts: z.array(geminiPartSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  index: z.number().int().optional(),
});
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>;

export const geminiUsageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().int().nonnegative().optional(),
  candidatesTokenCount: z.number().int().nonnegative().optional(),
  totalTokenCount: z.number().int().nonnegative().optional(),
  cachedContentTokenCount: z.number().int().nonnegative().optional(),
  thoughtsTokenCount: z.number().int().nonnegative().optional(),
  toolUsePromptTokenCount: z.number().int().nonnegative().optional(),
});
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>;

export const geminiResponseSchema = z.looseObject({
  candidates: z.array(geminiCandidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: geminiUsageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;

export const geminiErrorObjectSchema = z.looseObject({
  code: z.number().int().optional(),
  message: z.string(),
  status: z.string().optional(),
});
export type GeminiErrorObject = z.infer<typeof geminiErrorObjectSchema>;

export const geminiErrorBodySchema = z.looseObject({ error: geminiErrorObjectSchema });
