// MCP servers as tool sources, over the streamable HTTP transport. The SDK's client talks through
// a `fetch` that goes through the SSRF-safe client, so an MCP server URL is checked (and pinned)
// like every other outbound call. Answers are buffered, which suits request/response calls; the
// optional server-to-client stream (a GET) is declined with 405, which the transport accepts.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { SafeHttpClient } from '../gpt-contracts.js';
import type { McpTool } from './gpt-action-schemas.js';

export interface McpConnectionOptions {
  readonly url: string;
  readonly httpClient: SafeHttpClient;
  /** Adds the action's credential to each request's headers or URL. */
  readonly authorise: (request: { url: URL; headers: Record<string, string> }) => Promise<void>;
  readonly signal?: AbortSignal;
  /** The SDK's limit for each MCP request; every HTTP exchange is also bounded by gpts.outbound.timeoutMs. */
  readonly timeoutMilliseconds?: number;
}

export interface McpCallOutcome {
  readonly isError: boolean;
  /** The text parts joined, or the JSON of the structured result or of parts that are not text. */
  readonly content: string;
}

const clientInfo = { name: 'modelmart-gpt-actions', version: '1.0.0' };
/** Statuses whose responses may not have a body (the fetch Response constructor refuses one). */
const bodilessStatuses = new Set([101, 204, 205, 304]);

function headersRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('the MCP transport sent a body that is neither text nor bytes');
}

/** A fetch for the SDK that goes through the SSRF-safe client and answers with a buffered Response. */
function safeFetch(options: McpConnectionOptions): (input: string | URL, init?: RequestInit) => Promise<Response> {
  return async (input, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (method === 'GET') return new Response(null, { status: 405, statusText: 'Method Not Allowed' });
    const request = { url: new URL(input.toString()), headers: headersRecord(init.headers) };
    await options.authorise(request);
    const signals = [init.signal, options.signal].filter((signal): signal is AbortSignal => signal !== undefined && signal !== null);
    const body = bodyOf(init.body);
    const response = await options.httpClient.fetch(request.url.toString(), {
      method,
      headers: request.headers,
      ...(body === undefined ? {} : { body }),
      ...(signals.length === 0 ? {} : { signal: AbortSignal.any(signals) }),
    });
    const bodyBytes = bodilessStatuses.has(response.status) ? null : new Uint8Array(response.body);
    return new Response(bodyBytes, { status: response.status, headers: response.headers });
  };
}

/** Connects, runs `work` with the client, and always closes the session. */
export async function withMcpClient<Result>(options: McpConnectionOptions, work: (client: Client) => Promise<Result>): Promise<Result> {
  const transport = new StreamableHTTPClientTransport(new URL(options.url), { fetch: safeFetch(options) });
  const client = new Client(clientInfo);
  const requestOptions = options.timeoutMilliseconds === undefined ? {} : { timeout: options.timeoutMilliseconds };
  await client.connect(transport, requestOptions);
  try {
    return await work(client);
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

/** Every tool the server lists, following pagination. */
export async function listMcpTools(options: McpConnectionOptions): Promise<{ readonly serverName: string | null; readonly tools: readonly McpTool[] }> {
  return withMcpClient(options, async (client) => {
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor }, options.timeoutMilliseconds === undefined ? {} : { timeout: options.timeoutMilliseconds });
      for (const tool of page.tools) {
        // The draft marker means nothing to a model, and some vendors refuse schemas that carry it.
        const { $schema: _draft, ...inputSchema } = tool.inputSchema;
        tools.push({ name: tool.name, description: tool.description ?? tool.title ?? '', inputSchema });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return { serverName: client.getServerVersion()?.name ?? null, tools };
  });
}

export async function callMcpTool(options: McpConnectionOptions, toolName: string, toolArguments: Record<string, unknown>): Promise<McpCallOutcome> {
  return withMcpClient(options, async (client) => {
    const result = await client.callTool({ name: toolName, arguments: toolArguments }, undefined, options.timeoutMilliseconds === undefined ? {} : { timeout: options.timeoutMilliseconds });
    const isError = result['isError'] === true;
    const parts = Array.isArray(result['content']) ? (result['content'] as readonly { type?: unknown; text?: unknown }[]) : [];
    const everyPartText = parts.length > 0 && parts.every((part) => part.type === 'text' && typeof part.text === 'string');
    let content: string;
    if (everyPartText) content = parts.map((part) => String(part.text)).join('\n');
    else if (result['structuredContent'] !== undefined) content = JSON.stringify(result['structuredContent']);
    else content = JSON.stringify(parts);
    return { isError, content };
  });
}
