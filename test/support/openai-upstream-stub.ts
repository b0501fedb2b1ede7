// A local HTTP server standing in for an OpenAI-compatible vendor, answering in the documented
// wire format (chat completions JSON and SSE, embeddings, errors). Tests steer it per request
// through the model name, and can make it fail, hang, or break streams.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubBehaviour =
  | { readonly kind: 'answer'; readonly text?: string; readonly toolCall?: { name: string; arguments: string }; readonly delayMilliseconds?: number }
  | { readonly kind: 'error'; readonly status: number; readonly retryAfterSeconds?: number; readonly message?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'break-stream-after'; readonly chunks: number }
  | { readonly kind: 'slow-stream'; readonly chunkDelayMilliseconds: number; readonly chunks: number };

export interface UpstreamStub {
  readonly baseUrl: string;
  readonly port: number;
  /** Requests received, with their parsed bodies, in order. */
  readonly received: { path: string; body: Record<string, unknown>; headers: IncomingMessage['headers'] }[];
  /** Sockets closed by the client before the response ended (a cancelled upstream call). */
  readonly abandoned: { count: number };
  setBehaviour(behaviour: StubBehaviour): void;
  /** Decides the behaviour per request from its body (undefined: the current behaviour); null removes it. */
  setResponder(responder: ((body: Record<string, unknown>) => StubBehaviour | undefined) | null): void;
  close(): Promise<void>;
}

function completionJson(model: string, text: string, toolCall?: { name: string; arguments: string }): Record<string, unknown> {
  return {
    id: 'chatcmpl-stub123',
    object: 'chat.completion',
    created: 1_732_000_000,
    model,
    system_fingerprint: 'fp_stub',
    choices: [
      {
        index: 0,
        message:
          toolCall === undefined
            ? { role: 'assistant', content: text, refusal: null }
            : { role: 'assistant', content: null, tool_calls: [{ id: 'call_stub1', type: 'function', function: toolCall }] },
        logprobs: null,
        finish_reason: toolCall === undefined ? 'stop' : 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } },
  };
}

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-stub123', object: 'chat.completion.chunk', created: 1_732_000_000, model, system_fingerprint: 'fp_stub', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] })}\n\n`;
}

function usageChunk(model: string, completionTokens: number): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-stub123', object: 'chat.completion.chunk', created: 1_732_000_000, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: completionTokens, total_tokens: 12 + completionTokens } })}\n\n`;
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString();
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export async function startUpstreamStub(initial: StubBehaviour = { kind: 'answer' }): Promise<UpstreamStub> {
  let behaviour = initial;
  let responder: ((body: Record<string, unknown>) => StubBehaviour | undefined) | null = null;
  const received: UpstreamStub['received'] = [];
  const abandoned = { count: 0 };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const path = request.url ?? '/';
    received.push({ path, body, headers: request.headers });
    response.on('close', () => {
      if (!response.writableFinished) abandoned.count += 1;
    });
    const model = typeof body.model === 'string' ? body.model : 'stub-model';
    const current = responder?.(body) ?? behaviour;
    if (current.kind === 'hang') return;
    if (current.kind === 'answer' && current.delayMilliseconds !== undefined) await new Promise((resolve) => setTimeout(resolve, current.delayMilliseconds));
    if (current.kind === 'error') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (current.retryAfterSeconds !== undefined) headers['retry-after'] = String(current.retryAfterSeconds);
      response.writeHead(current.status, headers);
      response.end(JSON.stringify({ error: { message: current.message ?? `stub failure ${current.status}`, type: 'server_error', param: null, code: null } }));
      return;
    }
    if (path.endsWith('/embeddings')) {
      const inputs = Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({
        object: 'list',
        model,
        data: inputs.map((_input, index) => ({ object: 'embedding', index, embedding: [0.25, -0.5, index] })),
        usage: { prompt_tokens: 4 * inputs.length, total_tokens: 4 * inputs.length },
      }));
      return;
    }
    const text = current.kind === 'answer' ? (current.text ?? 'Hello from the stub.') : 'Hello from the stub.';
    if (path.endsWith('/completions') && !path.endsWith('/chat/completions') && typeof body.prompt === 'string') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'cmpl-stub123', object: 'text_completion', created: 1_732_000_000, model, choices: [{ index: 0, text, logprobs: null, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } }));
      return;
    }
    if (body.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completionJson(model, text, current.kind === 'answer' ? current.toolCall : undefined)));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(chunk(model, { role: 'assistant', content: '' }, null));
    if (current.kind === 'answer' && current.toolCall !== undefined) {
      const { name, arguments: argumentsText } = current.toolCall;
      response.write(chunk(model, { tool_calls: [{ index: 0, id: 'call_stub1', type: 'function', function: { name, arguments: '' } }] }, null));
      const middle = Math.floor(argumentsText.length / 2);
      for (const piece of [argumentsText.slice(0, middle), argumentsText.slice(middle)]) {
        response.write(chunk(model, { tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
      }
      response.write(chunk(model, {}, 'tool_calls'));
    } else {
      const words = text.split(/(?<= )/);
      const count = current.kind === 'slow-stream' ? current.chunks : words.length;
      for (let index = 0; index < count; index += 1) {
        if (current.kind === 'break-stream-after' && index === current.chunks) {
          // Let the chunks written so far reach the client before the connection drops.
          await new Promise((resolve) => setTimeout(resolve, 50));
          response.socket?.destroy();
          return;
        }
        if (current.kind === 'slow-stream') {
          await new Promise((resolve) => setTimeout(resolve, current.chunkDelayMilliseconds));
          if (response.destroyed) return;
        }
        response.write(chunk(model, { content: current.kind === 'slow-stream' ? `${index} ` : (words[index] ?? '') }, null));
      }
      response.write(chunk(model, {}, 'stop'));
    }
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage === true) response.write(usageChunk(model, 5));
    response.end('data: [DONE]\n\n');
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    received,
    abandoned,
    setBehaviour(next) {
      behaviour = next;
    },
    setResponder(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
