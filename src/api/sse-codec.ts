// Writing Server-Sent Events for our own clients: OpenAI streams are `data: <json>` events ended
// by `data: [DONE]`; the Responses API names its events. Parsing lives in providers/http.

/** The end of an OpenAI-style stream. */
export const sseDone = 'data: [DONE]\n\n';

/** A comment line: clients ignore it, proxies see traffic and keep the connection open. */
export const sseKeepAlive = ': keep-alive\n\n';

/**
 * One `data:` event. JSON.stringify escapes every line break inside strings, so the payload is
 * always a single line and needs no splitting into several `data:` lines.
 */
export function encodeSseData(value: unknown): string {
  return `data: ${JSON.stringify(value) ?? 'null'}\n\n`;
}

/** A named event (`event: <name>`), as the Responses API streams them. */
export function encodeSseEvent(eventName: string, value: unknown): string {
  if (/[\r\n]/.test(eventName)) throw new TypeError('an SSE event name cannot contain a line break');
  return `event: ${eventName}\ndata: ${JSON.stringify(value) ?? 'null'}\n\n`;
}
