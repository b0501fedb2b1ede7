// OpenAI chat messages → Anthropic `system` + `messages`. Anthropic has one system prompt,
// only user and assistant turns that must alternate, and tool results inside user turns.
import { invalidRequest } from '../../core/index.js';
import type { ChatMessage, ContentPart } from '../../api/index.js';
import type { AnthropicRequestBlock, AnthropicRequestMessage, AnthropicSource, AnthropicTextBlock } from './anthropic-request-types.js';

export interface AnthropicPrompt {
  readonly system: string | undefined;
  readonly messages: AnthropicRequestMessage[];
}

const dataUrlPattern = /^data:([^;,]+)?((?:;[^;,]+)*?);base64,(.*)$/s;
const supportedImageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

// Anthropic accepts tool ids matching [a-zA-Z0-9_-]+; ids minted by other vendors (a fallback
// route may replay them here) can hold other characters. Results are mapped the same way, so
// each tool_result still finds its tool_use.
export function toAnthropicToolId(id: string): string {
  const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned === '' ? 'tool_call' : cleaned;
}

function textOf(content: string | readonly { readonly text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

function sourceFromUrl(url: string, param: string, allowedTypes: ReadonlySet<string> | undefined): AnthropicSource {
  const dataUrl = dataUrlPattern.exec(url);
  if (dataUrl !== null) {
    const mediaType = (dataUrl[1] ?? '').toLowerCase();
    if (allowedTypes !== undefined && !allowedTypes.has(mediaType)) {
      throw invalidRequest(`Anthropic does not accept media of type ${JSON.stringify(mediaType)} here; use one of ${[...allowedTypes].join(', ')}.`, param, 'unsupported_content');
    }
    return { type: 'base64', media_type: mediaType, data: dataUrl[3] ?? '' };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'url', url };
  throw invalidRequest('Expected an https:// URL or a base64 data: URL.', param, 'invalid_url');
}

function convertUserPart(part: ContentPart, param: string): AnthropicRequestBlock | undefined {
  switch (part.type) {
    case 'text':
      // Anthropic refuses empty text blocks.
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image_url':
      return { type: 'image', source: sourceFromUrl(part.image_url.url, `${param}.image_url.url`, supportedImageTypes) };
    case 'file': {
      const fileData = part.file['file_data'];
      if (typeof fileData !== 'string') {
        throw invalidRequest('Anthropic needs the file inline as file_data (a base64 data: URL); file ids are not portable.', `${param}.file`, 'unsupported_content');
      }
      const filename = part.file['filename'];
      const source = sourceFromUrl(fileData, `${param}.file.file_data`, new Set(['application/pdf']));
      return typeof filename === 'string' ? { type: 'document', source, title: filename } : { type: 'document', source };
    }
    case 'input_audio':
      throw invalidRequest('Anthropic models do not accept audio input.', param, 'unsupported_content');
  }
}

function parseToolArguments(text: string, param: string, warnings: string[]): unknown {
  try {
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through: a model's malformed arguments replayed in history must not wedge a tool loop
  }
  warnings.push(`${param} is not a JSON object; Anthropic needs one, so an empty object was sent instead.`);
  return {};
}

function convertMessage(message: ChatMessage, index: number, warnings: string[]): AnthropicRequestMessage | undefined {
  const param = `messages[${index}]`;
  switch (message.role) {
    case 'system':
    case 'developer':
      return undefined;
    case 'user': {
      const content: AnthropicRequestBlock[] = [];
      if (typeof message.content === 'string') {
        if (message.content !== '') content.push({ type: 'text', text: message.content });
      } else {
        message.content.forEach((part, partIndex) => {
          const block = convertUserPart(part, `${param}.content[${partIndex}]`);
          if (block !== undefined) content.push(block);
        });
      }
      return { role: 'user', content };
    }
    case 'assistant': {
      const content: AnthropicRequestBlock[] = [];
      const text = message.content === null || message.content === undefined
        ? ''
        : typeof message.content === 'string'
          ? message.content
          : message.content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
      if (text !== '') content.push({ type: 'text', text });
      message.tool_calls?.forEach((call, callIndex) => {
        content.push({
          type: 'tool_use',
          id: toAnthropicToolId(call.id),
          name: call.function.name,
          input: parseToolArguments(call.function.arguments, `${param}.tool_calls[${callIndex}].function.arguments`, warnings),
        });
      });
      return { role: 'assistant', content };
    }
    case 'tool': {
      const content: string | AnthropicTextBlock[] = typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => ({ type: 'text', text: part.text }));
      return { role: 'user', content: [{ type: 'tool_result', tool_use_id: toAnthropicToolId(message.tool_call_id), content }] };
    }
  }
}

export function convertToAnthropicMessages(messages: readonly ChatMessage[], warnings: string[]): AnthropicPrompt {
  const systemTexts: string[] = [];
  const converted: AnthropicRequestMessage[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content);
      if (text !== '') systemTexts.push(text);
      return;
    }
    const turn = convertMessage(message, index, warnings);
    if (turn === undefined || turn.content.length === 0) return;
    const previous = converted.at(-1);
    // Turns must alternate: consecutive tool results, or a tool result followed by user
    // text, become one user turn, with the tool results first as Anthropic requires.
    if (previous !== undefined && previous.role === turn.role) previous.content.push(...turn.content);
    else converted.push({ role: turn.role, content: [...turn.content] });
  });
  // A prefilled assistant turn must not end in whitespace, or Anthropic rejects the request.
  const last = converted.at(-1);
  if (last?.role === 'assistant') {
    const finalBlock = last.content.at(-1);
    if (finalBlock?.type === 'text') {
      const trimmed = finalBlock.text.trimEnd();
      if (trimmed === '') last.content.pop();
      else last.content[last.content.length - 1] = { type: 'text', text: trimmed };
    }
    if (last.content.length === 0) converted.pop();
  }
  return { system: systemTexts.length === 0 ? undefined : systemTexts.join('\n\n'), messages: converted };
}
