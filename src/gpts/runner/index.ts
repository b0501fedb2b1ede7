// The GPT runner's surface for the server: prepare a run, run or stream it, and shape its answer
// for Chat Completions and the Responses API.
export { GptRunner, gptModelPrefix, isGptModel, maxStepsMessage, type BaseModelCheck, type GptRunnerOptions } from './gpt-runner.js';
export { chatCompletionOf, closingChunks, usageChunkOf, type GptChatChunk, type GptChatCompletion } from './gpt-run-answer.js';
export { asServiceCompletion, gptResponse, GptResponseStreamDecorator, type GptResponsePayload } from './gpt-run-responses.js';
export type {
  GptAnswerExtension,
  GptFinishReason,
  GptMeteredStep,
  GptRevenueShare,
  GptRunContext,
  GptRunEvent,
  GptRunFinish,
  GptStepAdmissionRequest,
  GptToolCallRecord,
  PreparedGptRun,
} from './gpt-run-types.js';
export type { GptCitation } from './gpt-run-knowledge.js';
export { draftReferenceSuffix, draftVersion, isDraftReference, type GptDraftSource } from './gpt-run-preview.js';
