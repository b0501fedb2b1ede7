// A local OpenAI-compatible upstream that keeps its own books: for every request it records the
// tokens it reported or produced, so a test can compare the gateway's ledger with the upstream's
// counts. The last user message steers it: `case:<kind>:<id>` with kind
//   ok       – answers (JSON, or a stream with a usage chunk when asked)
//   fail     – 400 with no tokens
//   retry    – 503 the first time an id is seen, then answers
//   cancel   – streams every content chunk, then holds the stream open (the client leaves)
// and the model `primary-down` always answers 500 (a fallback chain moves on).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countPromptTokens, countTextTokens } from '../../src/api/token-counting.js';
import { chatCompletionRequestSchema } from '../../src/api/index.js';

export interface UpstreamBook {
  readonly id: string;
  readonly kind: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface MeteredUpstream {
  readonly baseUrl: string;
  /** Every answer that produced tokens, by request id (the last one for a retried id). */
  readonly books: Map<string, UpstreamBook>;
  /** Upstream calls received, failures included. */
  readonly calls: { count: number };
  close(): Promise<void>;
}

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];

/** A deterministic answer of a few words for an id, so the books are reproducible. */
export function answerFor(id: string): string[] {
  let seed = 0;
  for (const character of id) seed = (seed * 31 + character.charCodeAt(0)) % 9973;
  const length = 3 + (seed % 6);
  return Array.from({ length }, (_, index) => `${index === 0 ? '' : ' '}${words[(seed + index) % words.length] ?? 'omega'}`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString()) as unknown;
}

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-metered', object: 'chat.completion.chunk', created: 1_732_000_000, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
}

function sendError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } }));
}

export async function startMeteredUpstream(): Promise<MeteredUpstream> {
  const books = new Map<string, UpstreamBook>();
  const retried = new Set<string>();
  const calls = { count: 0 };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = chatCompletionRequestSchema.parse(await readJson(request));
    calls.count += 1;
    const last = body.messages.at(-1);
    const text = typeof last?.content === 'string' ? last.content : '';
    const [, kind = 'ok', id = 'unknown'] = /case:(\w+):(\S+)/.exec(text) ?? [];
    if (body.model === 'primary-down') return sendError(response, 500, 'the primary deployment is down');
    if (kind === 'fail') return sendError(response, 400, 'this request is refused upstream');
    if (kind === 'retry' && !retried.has(id)) {
      retried.add(id);
      return sendError(response, 503, 'overloaded, try again');
    }
    const pieces = answerFor(id);
    const promptTokens = countPromptTokens(body);
    const completionTokens = countTextTokens(pieces.join(''));
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    if (body.stream !== true) {
      books.set(id, { id, kind, promptTokens, completionTokens });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-metered',
          object: 'chat.completion',
          created: 1_732_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk(body.model, { role: 'assistant', content: '' }, null));
    for (const piece of pieces) response.write(chunk(body.model, { content: piece }, null));
    // What was produced is on the books before the client can leave.
    books.set(id, { id, kind, promptTokens, completionTokens });
    if (kind === 'cancel') return; // held open: no finish, no usage; the client disconnects
    response.write(chunk(body.model, {}, 'stop'));
    if (body.stream_options?.include_usage === true) {
      response.write(`data: ${JSON.stringify({ id: 'chatcmpl-metered', object: 'chat.completion.chunk', created: 1_732_000_000, model: body.model, choices: [], usage })}\n\n`);
    }
    response.end('data: [DONE]\n\n');
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendError(response, 500, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    books,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
