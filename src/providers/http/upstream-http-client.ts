// The HTTP calls every provider adapter makes: POST a JSON body and read back JSON, a stream of
// Server-Sent Events, or newline-delimited JSON, through the shared keep-alive pool. Every
// failure leaves here as an UpstreamError, or as an AbortError when our caller gave up.
import type { Dispatcher } from 'undici';
import { UpstreamError } from '../provider-errors.js';
import { getUpstreamAgent } from './upstream-agent.js';
import { JsonLinesParser } from './json-lines-parser.js';
import { SseParser, type SseEvent } from './sse-parser.js';
import {
  abortError,
  interruptedStreamError,
  invalidResponseError,
  jsonInsteadOfStreamError,
  transportError,
  upstreamStatusError,
  type UpstreamErrorDescriber,
} from './upstream-error-mapping.js';

export interface UpstreamRequest {
  /** Provider id, used in error messages. */
  readonly provider: string;
  readonly url: string;
  /** Include `content-type` and `accept` to spare the client a merged copy on every call. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON-serialised by the client. */
  readonly body: unknown;
  /** Client disconnect or overall deadline: aborting cancels the socket request. */
  readonly signal: AbortSignal;
  /** Per attempt: time to response headers, and idle time between stream bytes. */
  readonly timeoutMs?: number;
  /** Vendor-specific error bodies → message/code; the default understands the common shapes. */
  readonly describeError?: UpstreamErrorDescriber;
}

export interface EventStreamOptions {
  /** Recognises the event that ends the stream; it is not yielded. Default: `data: [DONE]`. */
  readonly isTerminator?: (event: SseEvent) => boolean;
  /** When true, a stream that closes before its terminator is an interrupted stream. */
  readonly requireTerminator?: boolean;
}

export interface JsonLinesOptions {
  /** Recognises the last value (for example Ollama's `"done": true`); it is yielded. */
  readonly isLast?: (value: unknown) => boolean;
  /** When true, a stream that closes before its last value is an interrupted stream. */
  readonly requireLast?: boolean;
}

/** Long enough for a slow model to write a long answer before the first header arrives. */
const defaultTimeoutMilliseconds = 600_000;
/** Error bodies are read up to this size: enough for any message, bounded against abuse. */
const maximumErrorBodyBytes = 64 * 1024;
/** Bytes read after a stream's terminator to let its socket return to the pool. */
const maximumTrailingBytes = 64 * 1024;

interface UrlTarget {
  readonly origin: string;
  readonly path: string;
}

// Adapters call a handful of fixed URLs: parse each once, not on every request.
const urlTargets = new Map<string, UrlTarget>();

function targetOf(request: UpstreamRequest): UrlTarget {
  const known = urlTargets.get(request.url);
  if (known !== undefined) return known;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch (error) {
    throw new UpstreamError({ provider: request.provider, status: 502, message: 'the upstream URL is not valid; check the provider baseUrl', code: 'upstream_unreachable' }, error);
  }
  const target = { origin: url.origin, path: `${url.pathname}${url.search}` };
  if (urlTargets.size >= 1000) urlTargets.clear();
  urlTargets.set(request.url, target);
  return target;
}

function headersFor(request: UpstreamRequest, accept: string): Readonly<Record<string, string>> {
  const headers = request.headers;
  if ('content-type' in headers && 'accept' in headers) return headers;
  return { 'content-type': 'application/json', accept, ...headers };
}

interface SentRequest {
  readonly response: Dispatcher.ResponseData;
  readonly origin: string;
  readonly timeoutMilliseconds: number;
}

async function send(request: UpstreamRequest, accept: string): Promise<SentRequest> {
  const { signal } = request;
  if (signal.aborted) throw abortError(signal);
  const target = targetOf(request);
  const timeoutMilliseconds = request.timeoutMs ?? defaultTimeoutMilliseconds;
  try {
    const response = await getUpstreamAgent().request({
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers: headersFor(request, accept),
      body: JSON.stringify(request.body),
      signal,
      headersTimeout: timeoutMilliseconds,
      bodyTimeout: timeoutMilliseconds,
    });
    return { response, origin: target.origin, timeoutMilliseconds };
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    throw transportError(error, { provider: request.provider, origin: target.origin, timeoutMilliseconds, afterFirstByte: false });
  }
}

/** Reads a whole body with one concatenation at the end (none when it came in one chunk). */
async function readBody(body: Dispatcher.ResponseData['body'], maximumBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > maximumBytes) break;
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  return Buffer.concat(chunks, length);
}

async function failureFromStatus(request: UpstreamRequest, sent: SentRequest): Promise<UpstreamError> {
  const { response } = sent;
  return upstreamStatusError(request.provider, response.statusCode, response.headers, await readErrorBodyText(sent), request.describeError);
}

function isSuccess(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** POSTs JSON and returns the parsed JSON answer of a 2xx response. */
export async function postJson(request: UpstreamRequest): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  const sent = await send(request, 'application/json');
  const { response } = sent;
  if (!isSuccess(response.statusCode)) throw await failureFromStatus(request, sent);
  let buffer: Buffer;
  try {
    buffer = await readBody(response.body);
  } catch (error) {
    if (request.signal.aborted) throw abortError(request.signal);
    throw transportError(error, { provider: request.provider, origin: sent.origin, timeoutMilliseconds: sent.timeoutMilliseconds, afterFirstByte: false });
  }
  const text = buffer.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw invalidResponseError(request.provider, `the upstream answered HTTP ${response.statusCode} with a body that is not JSON: ${JSON.stringify(preview)}`, false, error);
  }
  return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
}

function isJsonContentType(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('application/json');
}

async function readErrorBodyText(sent: SentRequest): Promise<string> {
  try {
    return (await readBody(sent.response.body, maximumErrorBodyBytes)).toString('utf8');
  } catch {
    return ''; // the status alone still says what happened
  }
}

/**
 * Reads the response body as a stream of text chunks. Shared by the SSE and JSON-lines readers:
 * it maps failures, and on an early exit either lets the socket drain back into the pool (the
 * stream had reached its end marker) or destroys the request so the upstream stops generating.
 */
async function* streamText(request: UpstreamRequest, sent: SentRequest, state: { delivered: boolean; finished: boolean }): AsyncGenerator<string, void, undefined> {
  const { body } = sent.response;
  const iterator = body.iterator({ destroyOnReturn: false });
  const decoder = new TextDecoder();
  let bytesRead = 0;
  try {
    while (true) {
      const next = await iterator.next();
      if (next.done === true) break;
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) continue;
      bytesRead += chunk.length;
      yield decoder.decode(chunk, { stream: true });
      if (state.finished) return;
    }
    const tail = decoder.decode();
    if (tail !== '') yield tail;
  } catch (error) {
    if (request.signal.aborted) throw abortError(request.signal);
    throw transportError(error, { provider: request.provider, origin: sent.origin, timeoutMilliseconds: sent.timeoutMilliseconds, afterFirstByte: state.delivered });
  } finally {
    if (state.finished && !body.readableEnded) {
      // Release the iterator's hold on the body (without destroying it), then read the few
      // bytes after the end marker in the background so the socket returns to the pool.
      await iterator.return?.();
      body.dump({ limit: bytesRead + maximumTrailingBytes }).catch(() => undefined);
    } else if (!body.readableEnded) {
      body.destroy();
    }
  }
}

function isDoneEvent(event: SseEvent): boolean {
  return event.data === '[DONE]';
}

/** POSTs JSON and yields the Server-Sent Events of the answer, up to its terminator. */
export async function* postForEvents(request: UpstreamRequest, options: EventStreamOptions = {}): AsyncGenerator<SseEvent, void, undefined> {
  const sent = await send(request, 'text/event-stream');
  if (!isSuccess(sent.response.statusCode)) throw await failureFromStatus(request, sent);
  if (isJsonContentType(sent.response.headers['content-type'])) throw jsonInsteadOfStreamError(request.provider, await readErrorBodyText(sent), request.describeError);
  const isTerminator = options.isTerminator ?? isDoneEvent;
  const parser = new SseParser();
  const events: SseEvent[] = [];
  const state = { delivered: false, finished: false };
  for await (const text of streamText(request, sent, state)) {
    parser.feed(text, events);
    for (const event of events) {
      if (isTerminator(event)) {
        state.finished = true;
        break;
      }
      state.delivered = true;
      yield event;
    }
    events.length = 0;
    if (state.finished) return;
  }
  const truncated = parser.finish(events);
  for (const event of events) {
    if (isTerminator(event)) return;
    state.delivered = true;
    yield event;
  }
  if (truncated) throw interruptedStreamError(request.provider, 'the event stream ended in the middle of an event', state.delivered);
  if (options.requireTerminator === true) throw interruptedStreamError(request.provider, 'the event stream ended before its end marker', state.delivered);
}

/** POSTs JSON and yields each JSON value of a newline-delimited JSON answer. */
export async function* postForJsonLines(request: UpstreamRequest, options: JsonLinesOptions = {}): AsyncGenerator<unknown, void, undefined> {
  const sent = await send(request, 'application/x-ndjson');
  if (!isSuccess(sent.response.statusCode)) throw await failureFromStatus(request, sent);
  const parser = new JsonLinesParser();
  const values: unknown[] = [];
  const state = { delivered: false, finished: false };
  const invalid = (error: SyntaxError): UpstreamError =>
    invalidResponseError(request.provider, `the upstream stream is not JSON lines (${error.message})`, state.delivered, error);
  for await (const text of streamText(request, sent, state)) {
    const error = parser.feed(text, values);
    for (const value of values) {
      state.delivered = true;
      if (options.isLast?.(value) === true) state.finished = true;
      yield value;
      if (state.finished) break;
    }
    values.length = 0;
    if (state.finished) return;
    if (error !== undefined) throw invalid(error);
  }
  const error = parser.finish(values);
  for (const value of values) {
    state.delivered = true;
    yield value;
    if (options.isLast?.(value) === true) return;
  }
  if (error !== undefined) throw invalid(error);
  if (options.requireLast === true) throw interruptedStreamError(request.provider, 'the stream ended before its last line', state.delivered);
}
