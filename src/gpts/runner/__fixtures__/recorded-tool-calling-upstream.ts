// A local HTTP server standing in for OpenAI in GPT tests and the runner benchmark: it replays
// recorded Chat Completions answers of a tool-calling model (whole and streamed, as OpenAI sends
// them): a call of the first tool it is offered, or a text answer that quotes the last tool
// result and cites passage [1]. A script decides which, per request.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the model does on one request. */
export type RecordedTurn = { readonly kind: 'tool_call'; readonly arguments: string; readonly toolName?: string } | { readonly kind: 'text'; readonly text?: string };

export interface RecordedRequest {
  readonly messages: readonly { readonly role: string; readonly content?: unknown }[];
  readonly tools: readonly { readonly function: { readonly name: string } }[];
  readonly stream: boolean;
  readonly body: Record<string, unknown>;
}

export interface RecordedUpstream {
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseUrl: string;
  readonly received: RecordedRequest[];
  /** Chooses each answer; the default calls a tool until the conversation has a tool result, then answers. */
  script(decide: (request: RecordedRequest) => RecordedTurn): void;
  close(): Promise<void>;
}

/** Calls the first tool once, then answers with text. */
export const toolThenText = (request: RecordedRequest): RecordedTurn =>
  request.messages.some((message) => message.role === 'tool') || request.tools.length === 0 ? { kind: 'text' } : { kind: 'tool_call', arguments: '{"city":"Paris"}' };

const created = 1_764_300_000;

// Recorded from gpt-4o-mini (ids and fingerprint kept in their shape; usage as the API counts it).
function toolCallCompletion(model: string, name: string, argumentsText: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-CZx1recordedToolCall',
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_Xv3kq9recorded', type: 'function', function: { name, arguments: argumentsText } }], refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 84, completion_tokens: 17, total_tokens: 101, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    service_tier: 'default',
    system_fingerprint: 'fp_560af6e559',
  };
}

function textCompletion(model: string, text: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-CZx2recordedAnswer',
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 131, completion_tokens: 23, total_tokens: 154, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    service_tier: 'default',
    system_fingerprint: 'fp_560af6e559',
  };
}

function sse(id: string, model: string, choice: Record<string, unknown> | undefined, usage?: Record<string, unknown>): string {
  const body = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_560af6e559', choices: choice === undefined ? [] : [choice], usage: usage ?? null };
  return `data: ${JSON.stringify(body)}\n\n`;
}

function streamedToolCall(model: string, name: string, argumentsText: string, includeUsage: boolean): string[] {
  const id = 'chatcmpl-CZx3recordedToolStream';
  const events = [
    sse(id, model, { index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_Yq7mrecorded', type: 'function', function: { name, arguments: '' } }], refusal: null }, logprobs: null, finish_reason: null }),
  ];
  for (let start = 0; start < argumentsText.length; start += 4) {
    events.push(sse(id, model, { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: argumentsText.slice(start, start + 4) } }] }, logprobs: null, finish_reason: null }));
  }
  events.push(sse(id, model, { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }));
  if (includeUsage) events.push(sse(id, model, undefined, { prompt_tokens: 84, completion_tokens: 17, total_tokens: 101, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } }));
  return events;
}

function streamedText(model: string, text: string, includeUsage: boolean): string[] {
  const id = 'chatcmpl-CZx4recordedTextStream';
  const events = [sse(id, model, { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null })];
  for (const piece of text.split(/(?<= )/)) events.push(sse(id, model, { index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }));
  events.push(sse(id, model, { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }));
  if (includeUsage) events.push(sse(id, model, undefined, { prompt_tokens: 131, completion_tokens: 23, total_tokens: 154, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } }));
  return events;
}

function lastToolResult(request: RecordedRequest): string | undefined {
  for (let index = request.messages.length - 1; index >= 0; index -= 1) {
    const message = request.messages[index];
    if (message?.role === 'tool' && typeof message.content === 'string') return message.content;
  }
  return undefined;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(parts).toString() || '{}');
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

export async function startRecordedUpstream(): Promise<RecordedUpstream> {
  let decide: (request: RecordedRequest) => RecordedTurn = toolThenText;
  const received: RecordedRequest[] = [];
  const server: Server = createServer((incoming, response) => {
    readJson(incoming)
      .then((body) => {
        const request: RecordedRequest = {
          messages: Array.isArray(body.messages) ? (body.messages as RecordedRequest['messages']) : [],
          tools: Array.isArray(body.tools) ? (body.tools as RecordedRequest['tools']) : [],
          stream: body.stream === true,
          body,
        };
        received.push(request);
        const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
        const turn = decide(request);
        const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
        const toolName = turn.kind === 'tool_call' ? (turn.toolName ?? request.tools[0]?.function.name ?? 'missing_tool') : '';
        const text = turn.kind === 'text' ? (turn.text ?? `The tool said: ${lastToolResult(request) ?? 'nothing'}. It is sunny in Paris [1].`) : '';
        if (!request.stream) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(turn.kind === 'tool_call' ? toolCallCompletion(model, toolName, turn.arguments) : textCompletion(model, text)));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const events = turn.kind === 'tool_call' ? streamedToolCall(model, toolName, turn.arguments, includeUsage) : streamedText(model, text, includeUsage);
        for (const event of events) response.write(event);
        response.end('data: [DONE]\n\n');
      })
      .catch((error: unknown) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: String(error), type: 'invalid_request_error', param: null, code: null } }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    script(next) {
      decide = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
