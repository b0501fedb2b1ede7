// Token counts of OpenAI chat requests and answers with gpt-tokenizer (o200k_base, the encoding
// of GPT-4o and later). Used before an upstream call (context-window checks) and after one whose
// upstream reported no usage. Counts of other vendors' models are estimates by construction.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatCompletion, ChatCompletionRequest, ChatMessage, ContentPart, Usage } from './chat-schemas.js';

/**
 * OpenAI's documented chat overhead (openai-cookbook, "How to count tokens with tiktoken"):
 * every message is wrapped in <|start|>{role/name}\n{content}<|end|>\n, a `name` costs one more
 * token, and every reply is primed with <|start|>assistant<|message|>.
 */
export const tokensPerMessage = 3;
export const tokensPerName = 1;
export const tokensPerReplyPriming = 3;

/**
 * Images are billed by tile from their pixel size, which is unknown without downloading them:
 * a low-detail image is a flat 85 tokens, and other images are estimated as one 1024×1024 image
 * at high detail (85 + 4 tiles × 170). Audio and files get one fixed estimate, for the same reason.
 */
export const lowDetailImageTokens = 85;
export const imageTokenEstimate = 765;
export const audioOrFileTokenEstimate = 256;

/** Overhead of a tool call inside an assistant message (its id, type and wrapping). */
const tokensPerToolCall = 3;

// User text may contain "<|endoftext|>" and the like; count it as the plain text it is rather
// than throwing. One shared, never-mutated options object: nothing is allocated per call here.
const plainTextOptions = { disallowedSpecial: new Set<string>() };

/** Tokens of one string, with special-token markers counted as ordinary text. */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  return countTokens(text, plainTextOptions);
}

type TextCounter = (text: string) => number;

/**
 * Byte-level BPE tokens are at least one byte each, so a string's UTF-8 length bounds its token
 * count from above: a worst case (billing holds, rate-limit estimates) without running the tokenizer.
 */
const textTokenUpperBound: TextCounter = (text) => Buffer.byteLength(text, 'utf8');

function countContentPartTokens(part: ContentPart | { readonly type: 'refusal'; readonly refusal: string }, countText: TextCounter): number {
  switch (part.type) {
    case 'text':
      return countText(part.text);
    case 'refusal':
      return countText(part.refusal);
    case 'image_url':
      return part.image_url.detail === 'low' ? lowDetailImageTokens : imageTokenEstimate;
    case 'input_audio':
    case 'file':
      return audioOrFileTokenEstimate;
  }
}

function countContentTokens(content: ChatMessage['content'], countText: TextCounter): number {
  if (content === null || content === undefined) return 0;
  if (typeof content === 'string') return countText(content);
  let total = 0;
  for (const part of content) total += countContentPartTokens(part, countText);
  return total;
}

function messageTokens(message: ChatMessage, countText: TextCounter): number {
  let total = tokensPerMessage + countText(message.role) + countContentTokens(message.content, countText);
  if ('name' in message && message.name !== undefined) total += tokensPerName + countText(message.name);
  if (message.role === 'assistant') {
    if (typeof message.refusal === 'string') total += countText(message.refusal);
    if (message.tool_calls !== undefined) {
      for (const call of message.tool_calls) {
        total += tokensPerToolCall + countText(call.function.name) + countText(call.function.arguments);
      }
    }
  }
  return total;
}

/** Tokens one message adds to a prompt, overhead included. */
export function countMessageTokens(message: ChatMessage): number {
  return messageTokens(message, countTextTokens);
}

function promptTokens(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>, countText: TextCounter): number {
  let total = tokensPerReplyPriming;
  for (const message of request.messages) total += messageTokens(message, countText);
  if (request.tools !== undefined && request.tools.length > 0) total += countText(JSON.stringify(request.tools));
  return total;
}

/** The prompt tokens of a chat request: its messages, their overhead, and its tools' JSON. */
export function countPromptTokens(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>): number {
  return promptTokens(request, countTextTokens);
}

/** At least the prompt tokens of a chat request (every byte counted as a token); cheap. */
export function promptTokenUpperBound(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>): number {
  return promptTokens(request, textTokenUpperBound);
}

/** At least the tokens of one string (its UTF-8 bytes); cheap. */
export function textTokenBound(text: string): number {
  return textTokenUpperBound(text);
}

/** The completion tokens of a non-streamed answer: every choice's text, refusal and tool calls. */
export function countCompletionTokens(completion: Pick<ChatCompletion, 'choices'>): number {
  let total = 0;
  for (const choice of completion.choices) {
    const message = choice.message;
    if (typeof message.content === 'string') total += countTextTokens(message.content);
    if (typeof message.refusal === 'string') total += countTextTokens(message.refusal);
    if (message.tool_calls !== undefined) {
      for (const call of message.tool_calls) total += countTextTokens(call.function.name) + countTextTokens(call.function.arguments);
    }
  }
  return total;
}

/** The requested completion budget: `max_completion_tokens`, else the older `max_tokens`, else 0. */
export function requestedCompletionTokens(request: Pick<ChatCompletionRequest, 'max_tokens' | 'max_completion_tokens'>): number {
  return request.max_completion_tokens ?? request.max_tokens ?? 0;
}

/** An OpenAI usage object from two counts, for answers whose upstream reported none. */
export function usageFromCounts(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}
