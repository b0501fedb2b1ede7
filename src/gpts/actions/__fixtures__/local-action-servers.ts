// Local stand-ins for what GPT actions call in tests: an HTTP API with an OAuth 2 token endpoint
// (recording every request it sees), its OpenAPI document, and a real MCP server built with the
// SDK's McpServer on the streamable HTTP transport. All listen on 127.0.0.1, port 0.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface LocalActionApi {
  readonly origin: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** Token requests the OAuth endpoint answered. */
  readonly tokenRequests: SeenRequest[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Routes: GET /things/{id} echoes what it received; POST /things echoes the body; GET /slow never
 * answers; GET /broken answers 500; GET /big answers 150,000 characters; POST /oauth/token issues `token-<n>` to client-1 / client-secret-1.
 */
export async function startLocalActionApi(): Promise<LocalActionApi> {
  const seen: SeenRequest[] = [];
  const tokenRequests: SeenRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const url = new URL(request.url ?? '/', 'http://local');
      const entry = { method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, body };
      if (url.pathname === '/oauth/token') {
        tokenRequests.push(entry);
        const expected = `Basic ${Buffer.from('client-1:client-secret-1').toString('base64')}`;
        if (request.headers.authorization !== expected || !body.includes('grant_type=client_credentials')) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `token-${tokenRequests.length}`, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      seen.push(entry);
      if (url.pathname === '/slow') return;
      if (url.pathname === '/big') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(150_000));
        return;
      }
      if (url.pathname === '/broken') {
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"the database is on fire"}');
        return;
      }
      const echo = { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), trace: request.headers['x-trace'] ?? null, body: body === '' ? null : (JSON.parse(body) as unknown) };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
    });
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, port, seen, tokenRequests, close: closer(server) };
}

export function thingsOpenApiDocument(origin: string, version: '3.0.3' | '3.1.0' = '3.0.3'): Record<string, unknown> {
  return {
    openapi: version,
    info: { title: 'Things API', version: '1' },
    servers: [{ url: origin }],
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          summary: 'Read one thing',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'detail', in: 'query', schema: { type: 'string', enum: ['short', 'full'] } },
            { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
          ],
        },
      },
      '/things': {
        post: {
          operationId: 'createThing',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
      '/slow': { get: { operationId: 'slow' } },
      '/broken': { get: { operationId: 'broken' } },
      '/big': { get: { operationId: 'big' } },
    },
    components: { schemas: { Thing: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer' } }, additionalProperties: false } } },
  };
}

export interface LocalMcpServer {
  readonly url: string;
  readonly port: number;
  /** The Authorization header of every request. */
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A stateless MCP server with tools `add` (a + b), `explode` (always a tool error) and `dawdle` (slow). */
export async function startLocalMcpServer(): Promise<LocalMcpServer> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    const mcp = new McpServer({ name: 'local-test-mcp', version: '1.0.0' });
    mcp.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
    mcp.registerTool('explode', { description: 'Always fails' }, async () => ({ content: [{ type: 'text', text: 'it exploded' }], isError: true }));
    mcp.registerTool('dawdle', { description: 'Answers after two seconds' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return { content: [{ type: 'text', text: 'finally' }] };
    });
    // No session id generator: a stateless server, one transport per request.
    const transport = new StreamableHTTPServerTransport({});
    response.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    void mcp.connect(transport).then(() => transport.handleRequest(request, response));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/mcp`, port, authorizations, close: closer(server) };
}
