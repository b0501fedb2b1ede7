// Gemini finishReason → OpenAI finish_reason.
import type { FinishReason } from '../../api/index.js';

const contentFilterReasons = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

export function mapGeminiFinishReason(finishReason: string | undefined, calledFunctions: boolean): FinishReason {
  if (finishReason === 'MAX_TOKENS') return 'length';
  if (finishReason !== undefined && contentFilterReasons.has(finishReason)) return 'content_filter';
  // Gemini ends a turn of function calls with STOP; OpenAI clients look for tool_calls.
  if (calledFunctions) return 'tool_calls';
  // STOP, OTHER, MALFORMED_FUNCTION_CALL and reasons added later all mean the turn ended.
  return 'stop';
}
