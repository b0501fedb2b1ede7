// A local HTTP server for adapter tests: it records what each adapter sent and answers with a
// recorded upstream response, streamed in uneven pieces so parsers meet split events.
// Used by the anthropic, gemini and azure-openai tests; a candidate for test/support/.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FixtureResponse {
  readonly status?: number;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface FixtureServer {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Answers the next requests in order; the last one repeats. */
  respondWith(...responses: FixtureResponse[]): void;
  close(): Promise<void>;
}

export function readFixture(directory: URL, name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, directory), 'utf8');
}

export function jsonFixture(body: string, status = 200, headers: Readonly<Record<string, string>> = {}): FixtureResponse {
  return { status, contentType: 'application/json', headers, body };
}

export function eventStreamFixture(body: string): FixtureResponse {
  return { status: 200, contentType: 'text/event-stream', body };
}

// Three uneven pieces: boundaries land inside lines and inside multi-byte characters.
function pieces(body: Buffer): Buffer[] {
  if (body.length < 8) return [body];
  const first = Math.floor(body.length / 3) + 1;
  const second = Math.floor((body.length * 2) / 3) - 1;
  return [body.subarray(0, first), body.subarray(first, second), body.subarray(second)];
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  let queue: FixtureResponse[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // keep the raw text: the test will show what was sent
      }
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const answer = queue.length > 1 ? queue.shift() : queue[0];
      if (answer === undefined) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('no fixture response queued');
        return;
      }
      response.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json', ...answer.headers });
      const parts = pieces(Buffer.from(answer.body, 'utf8'));
      const writeNext = (index: number): void => {
        const part = parts[index];
        if (part === undefined) {
          response.end();
          return;
        }
        response.write(part, () => setTimeout(() => writeNext(index + 1), 2));
      };
      writeNext(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    respondWith(...responses) {
      queue = responses;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
