// Reads Server-Sent Events from a fetch body (EventSource cannot send an Authorization header
// or a POST body), and turns a chat completion stream into its chunks.
import { errorFromBody } from './api-client';

export interface ServerSentEvent {
  readonly event: string | null;
  readonly data: string;
}

/** Splits the byte stream into events: lines of `field: value`, ended by a blank line. */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let dataLines: string[] = [];
  let eventName: string | null = null;
  const takeLine = (line: string): ServerSentEvent | undefined => {
    if (line === '') {
      if (dataLines.length === 0) return undefined;
      const event = { event: eventName, data: dataLines.join('\n') };
      dataLines = [];
      eventName = null;
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') eventName = value;
    return undefined;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let lineEnd = buffer.search(/\r\n|\r|\n/);
      // A lone \r at the end may be the first half of \r\n: wait for the next bytes.
      while (lineEnd !== -1 && !(buffer[lineEnd] === '\r' && lineEnd === buffer.length - 1 && !done)) {
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + (buffer.startsWith('\r\n', lineEnd) ? 2 : 1));
        const event = takeLine(line);
        if (event !== undefined) yield event;
        lineEnd = buffer.search(/\r\n|\r|\n/);
      }
      if (done) break;
    }
    if (buffer !== '') takeLine(buffer);
    const last = takeLine('');
    if (last !== undefined) yield last;
  } finally {
    reader.releaseLock();
  }
}

export interface ChatUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens?: number;
}

export interface ChatStreamChunk {
  readonly id?: string;
  readonly model?: string;
  readonly choices: readonly { readonly index: number; readonly delta: { readonly content?: string | null; readonly role?: string }; readonly finish_reason: string | null }[];
  readonly usage?: ChatUsage | null;
}

function isChunk(value: unknown): value is ChatStreamChunk {
  return typeof value === 'object' && value !== null && 'choices' in value && Array.isArray(value.choices);
}

/** Chat completion chunks until `[DONE]`; an error event in the stream is thrown as an ApiError. */
export async function* readChatCompletionStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatStreamChunk> {
  for await (const event of readServerSentEvents(body)) {
    if (event.data === '[DONE]') return;
    const parsed: unknown = JSON.parse(event.data);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) throw errorFromBody(500, parsed, null);
    if (isChunk(parsed)) yield parsed;
  }
}
