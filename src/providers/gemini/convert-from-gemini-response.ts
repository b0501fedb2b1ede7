// A Gemini GenerateContentResponse → an OpenAI chat.completion: one choice per candidate, text
// parts joined (thought summaries left out), functionCall parts as tool_calls with fresh ids.
import type { ChatCompletion, ToolCall } from '../../api/index.js';
import { randomToken } from '../../core/index.js';
import type { GeminiPart, GeminiResponse } from './gemini-api-types.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { newGeminiToolCallId } from './gemini-tool-call-ids.js';

export interface GeminiPartsContent {
  readonly text: string;
  readonly toolCalls: ToolCall[];
}

export function readGeminiParts(parts: readonly GeminiPart[] | undefined): GeminiPartsContent {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of parts ?? []) {
    if (part.functionCall !== undefined) {
      toolCalls.push({
        id: newGeminiToolCallId(part.thoughtSignature),
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    } else if (part.text !== undefined && part.thought !== true) {
      text += part.text;
    }
  }
  return { text, toolCalls };
}

export function newGeminiCompletionId(): string {
  return `chatcmpl-${randomToken(18)}`;
}

export function convertFromGeminiResponse(response: GeminiResponse, fallbackModel: string, createdSeconds: number): ChatCompletion {
  const candidates = [...(response.candidates ?? [])].sort((left, right) => (left.index ?? 0) - (right.index ?? 0));
  const choices: ChatCompletion['choices'] = candidates.map((candidate, position) => {
    const { text, toolCalls } = readGeminiParts(candidate.content?.parts);
    return {
      index: candidate.index ?? position,
      message: {
        role: 'assistant',
        content: text === '' && toolCalls.length > 0 ? null : text,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      },
      logprobs: null,
      finish_reason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
    };
  });
  // A blocked prompt comes back with no candidates at all, only promptFeedback.
  if (choices.length === 0) {
    choices.push({ index: 0, message: { role: 'assistant', content: null }, logprobs: null, finish_reason: response.promptFeedback?.blockReason === undefined ? 'stop' : 'content_filter' });
  }
  const completion: ChatCompletion = {
    id: response.responseId ?? newGeminiCompletionId(),
    object: 'chat.completion',
    created: createdSeconds,
    model: response.modelVersion ?? fallbackModel,
    choices,
  };
  if (response.usageMetadata !== undefined) completion.usage = convertGeminiUsage(response.usageMetadata);
  return completion;
}
