// A real HTTP server on 127.0.0.1 for adapter tests: it records each request and lets a test
// answer it by hand (replaying recorded fixtures, hanging, or breaking the connection).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly body: unknown;
  /** Resolves when the connection of this request closes; `finished` says whether we answered in full first. */
  readonly closed: Promise<{ readonly finished: boolean }>;
  /** The client's port: equal ports on two requests mean a kept-alive socket was reused. */
  readonly remotePort: number | undefined;
}

export type UpstreamHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface LocalUpstreamServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Sets how the server answers the requests that follow. */
  handle(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startLocalUpstreamServer(): Promise<LocalUpstreamServer> {
  let handler: UpstreamHandler = (_request, response) => {
    response.writeHead(500).end('no handler set');
  };
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const closed = new Promise<{ finished: boolean }>((resolve) => {
      response.on('close', () => resolve({ finished: response.writableFinished }));
    });
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        rawBody,
        body: parseJson(rawBody),
        closed,
        remotePort: incoming.socket.remotePort,
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded, response)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
