// OpenAI chat messages → Gemini `systemInstruction` + `contents`. Gemini names tool results by
// function name, not by call id, so each tool message is matched to the earlier assistant tool
// call it answers; thought signatures carried in those ids go back on the functionCall parts.
import { invalidRequest } from '../../core/index.js';
import type { ChatMessage, ContentPart } from '../../api/index.js';
import type { GeminiContent, GeminiRequestPart } from './gemini-request-types.js';
import { thoughtSignatureFromToolCallId } from './gemini-tool-call-ids.js';

export interface GeminiPrompt {
  readonly systemInstruction: { readonly parts: readonly { readonly text: string }[] } | undefined;
  readonly contents: GeminiContent[];
}

export interface GeminiContentOptions {
  /**
   * Gemini 3 refuses a function call replayed without its thought signature. For history that
   * never had one (written by hand, or by another model), Google documents a placeholder value.
   */
  readonly placeholderThoughtSignatures: boolean;
}

export const placeholderThoughtSignature = 'skip_thought_signature_validator';

const dataUrlPattern = /^data:([^;,]+)?((?:;[^;,]+)*?);base64,(.*)$/s;

const mimeTypeByExtension: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif',
  pdf: 'application/pdf', mp3: 'audio/mp3', wav: 'audio/wav', mp4: 'video/mp4', txt: 'text/plain',
};

function textOf(content: string | readonly { readonly text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

function partFromUrl(url: string, param: string): GeminiRequestPart {
  const dataUrl = dataUrlPattern.exec(url);
  if (dataUrl !== null) return { inlineData: { mimeType: (dataUrl[1] ?? 'application/octet-stream').toLowerCase(), data: dataUrl[3] ?? '' } };
  if (/^(https?|gs):\/\//i.test(url)) {
    const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
    return { fileData: { mimeType: (extension === undefined ? undefined : mimeTypeByExtension[extension]) ?? 'image/jpeg', fileUri: url } };
  }
  throw invalidRequest('Expected an https:// URL or a base64 data: URL.', param, 'invalid_url');
}

function convertUserPart(part: ContentPart, param: string): GeminiRequestPart | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'image_url':
      return partFromUrl(part.image_url.url, `${param}.image_url.url`);
    case 'input_audio':
      return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
    case 'file': {
      const fileData = part.file['file_data'];
      if (typeof fileData !== 'string') {
        throw invalidRequest('Gemini needs the file inline as file_data (a base64 data: URL); file ids are not portable.', `${param}.file`, 'unsupported_content');
      }
      return partFromUrl(fileData, `${param}.file.file_data`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseArguments(text: string, param: string, warnings: string[]): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // fall through: a model's malformed arguments replayed in history must not wedge a tool loop
  }
  warnings.push(`${param} is not a JSON object; Gemini needs one, so an empty object was sent instead.`);
  return {};
}

// Gemini's functionResponse.response is an object; "output" is its documented key for a result.
function functionResponseOf(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { output: parsed };
  } catch {
    return { output: text };
  }
}

export function convertToGeminiContents(messages: readonly ChatMessage[], options: GeminiContentOptions, warnings: string[]): GeminiPrompt {
  const systemTexts: string[] = [];
  const contents: GeminiContent[] = [];
  const functionNameByCallId = new Map<string, string>();

  const append = (role: GeminiContent['role'], parts: GeminiRequestPart[]): void => {
    if (parts.length === 0) return;
    const previous = contents.at(-1);
    // Roles must alternate, and parallel function responses belong in one content.
    if (previous?.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content);
        if (text !== '') systemTexts.push(text);
        return;
      }
      case 'user': {
        const parts: GeminiRequestPart[] = [];
        if (typeof message.content === 'string') {
          if (message.content !== '') parts.push({ text: message.content });
        } else {
          message.content.forEach((part, partIndex) => {
            const converted = convertUserPart(part, `${param}.content[${partIndex}]`);
            if (converted !== undefined) parts.push(converted);
          });
        }
        append('user', parts);
        return;
      }
      case 'assistant': {
        const parts: GeminiRequestPart[] = [];
        const text = message.content === null || message.content === undefined
          ? ''
          : typeof message.content === 'string'
            ? message.content
            : message.content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
        if (text !== '') parts.push({ text });
        message.tool_calls?.forEach((call, callIndex) => {
          functionNameByCallId.set(call.id, call.function.name);
          const functionCall = { name: call.function.name, args: parseArguments(call.function.arguments, `${param}.tool_calls[${callIndex}].function.arguments`, warnings) };
          const signature = thoughtSignatureFromToolCallId(call.id) ?? (callIndex === 0 && options.placeholderThoughtSignatures ? placeholderThoughtSignature : undefined);
          parts.push(signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature });
        });
        append('model', parts);
        return;
      }
      case 'tool': {
        const name = functionNameByCallId.get(message.tool_call_id);
        if (name === undefined) {
          throw invalidRequest(`No earlier assistant tool call has the id ${JSON.stringify(message.tool_call_id)}; Gemini needs it to name the function.`, `${param}.tool_call_id`, 'invalid_tool_call_id');
        }
        append('user', [{ functionResponse: { name, response: functionResponseOf(textOf(message.content)) } }]);
        return;
      }
    }
  });
  return {
    systemInstruction: systemTexts.length === 0 ? undefined : { parts: [{ text: systemTexts.join('\n\n') }] },
    contents,
  };
}
