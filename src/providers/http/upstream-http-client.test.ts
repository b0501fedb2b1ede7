import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../provider-errors.js';
import { closedPort, delay, startLocalUpstreamServer, type LocalUpstreamServer } from './__fixtures__/local-upstream-server.js';
import { closeUpstreamClients, postForEvents, postForJsonLines, postJson, type UpstreamRequest } from './index.js';

let server: LocalUpstreamServer;

beforeAll(async () => {
  server = await startLocalUpstreamServer();
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await closeUpstreamClients();
  await server.close();
});

function request(overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    provider: 'test-upstream',
    url: `${server.origin}/v1/chat/completions`,
    headers: { authorization: 'Bearer secret' },
    body: { model: 'm', messages: [] },
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('postJson', () => {
  it('sends JSON with the given headers and returns the parsed answer', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'up-1' }).end('{"ok":true}');
    });
    const result = await postJson(request());
    expect(result).toEqual({ status: 200, headers: expect.objectContaining({ 'x-request-id': 'up-1' }), body: { ok: true } });
    const [seen] = server.requests;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/v1/chat/completions');
    expect(seen?.headers['authorization']).toBe('Bearer secret');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.body).toEqual({ model: 'm', messages: [] });
  });

  it('reuses the kept-alive socket for the next request', async () => {
    // A server of its own: a fresh origin has a fresh pool, untouched by the other tests.
    const own = await startLocalUpstreamServer();
    try {
      own.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
      for (let round = 0; round < 3; round += 1) {
        await postJson(request({ url: `${own.origin}/v1/embeddings` }));
        // undici frees a socket a tick after its body ends; a request in that tick opens another.
        await new Promise(setImmediate);
      }
      expect(new Set(own.requests.map((seen) => seen.remotePort)).size).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('keeps the upstream status, message and code of an error body', async () => {
    server.handle((_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad temperature', type: 'invalid_request_error', code: 'invalid_value' } }));
    });
    const error = await failure(postJson(request()));
    expect(error.status).toBe(400);
    expect(error.message).toBe('test-upstream: bad temperature');
    expect(error.code).toBe('invalid_value');
    expect(error.retryable).toBe(false);
  });

  it('uses a vendor describer for unusual error bodies', async () => {
    server.handle((_request, response) => {
      response.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ problem: { text: 'no such model', id: 'E42' } }));
    });
    const error = await failure(
      postJson(
        request({
          describeError: (body) => {
            const problem = typeof body === 'object' && body !== null && 'problem' in body ? body.problem : undefined;
            return typeof problem === 'object' && problem !== null && 'text' in problem && typeof problem.text === 'string' ? { message: problem.text, code: 'E42' } : undefined;
          },
        }),
      ),
    );
    expect(error.message).toBe('test-upstream: no such model');
    expect(error.code).toBe('E42');
  });

  it('reads retry-after on 429 and marks it retryable', async () => {
    server.handle((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' }).end(JSON.stringify({ error: { message: 'slow down' } }));
    });
    const error = await failure(postJson(request()));
    expect(error.status).toBe(429);
    expect(error.retryAfterMilliseconds).toBe(3000);
    expect(error.headers['retry-after']).toBe('3');
    expect(error.retryable).toBe(true);
  });

  it('quotes a non-JSON error page', async () => {
    server.handle((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>  Service\n Unavailable </body></html>');
    });
    const error = await failure(postJson(request()));
    expect(error.status).toBe(503);
    expect(error.message).toContain('HTTP 503: <html><body> Service Unavailable </body></html>');
  });

  it('turns a redirect into a 502 that points at the base URL', async () => {
    server.handle((_request, response) => {
      response.writeHead(301, { location: 'https://elsewhere.example/v1' }).end();
    });
    const error = await failure(postJson(request()));
    expect(error.status).toBe(502);
    expect(error.message).toContain('redirect to https://elsewhere.example/v1');
  });

  it('rejects a 2xx body that is not JSON with 502 upstream_invalid_response', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"truncated":');
    });
    const error = await failure(postJson(request()));
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_invalid_response');
  });

  it('maps a refused connection to 502 upstream_unreachable', async () => {
    const port = await closedPort();
    const error = await failure(postJson(request({ url: `http://127.0.0.1:${port}/v1/chat/completions` })));
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.retryable).toBe(true);
  });

  it('maps a reset connection to 502 upstream_unreachable', async () => {
    server.handle((_request, response) => {
      response.socket?.destroy();
    });
    const error = await failure(postJson(request()));
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_unreachable');
  });

  it('times out a hanging upstream with 504 upstream_timeout', async () => {
    server.handle(() => undefined);
    const error = await failure(postJson(request({ timeoutMs: 150 })));
    expect(error.status).toBe(504);
    expect(error.code).toBe('upstream_timeout');
    expect(await server.requests[0]?.closed).toEqual({ finished: false });
  });

  it('cancels the socket request on abort and rejects with an AbortError', async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const pending = postJson(request({ signal: controller.signal }));
    while (server.requests.length === 0) await delay(5);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(await server.requests[0]?.closed).toEqual({ finished: false });
  });

  it('does not send anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(postJson(request({ signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError', cause: new Error('deadline') });
    expect(server.requests).toHaveLength(0);
  });
});

function writeEvents(...events: string[]) {
  return async (_request: unknown, response: ServerResponse): Promise<void> => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of events) {
      response.write(event);
      await delay(2);
    }
    response.end();
  };
}

describe('postForEvents', () => {
  it('yields events and stops at [DONE] without yielding it', async () => {
    server.handle(writeEvents(': keep-alive\n\n', 'data: {"n":1}\n\n', 'data: {"n"', ':2}\n\ndata: [DONE]\n\n'));
    const events = await collect(postForEvents(request()));
    expect(events).toEqual([{ data: '{"n":1}' }, { data: '{"n":2}' }]);
    expect(server.requests[0]?.headers['accept']).toBe('text/event-stream');
    expect(await server.requests[0]?.closed).toEqual({ finished: true });
  });

  it('returns the socket to the pool after the end marker, even when the response ends later', async () => {
    // A server of its own: a fresh origin has a fresh pool, untouched by the other tests.
    const own = await startLocalUpstreamServer();
    try {
      own.handle(writeEvents('data: {"n":1}\n\ndata: [DONE]\n\n', '\n'));
      for (let round = 0; round < 3; round += 1) {
        expect(await collect(postForEvents(request({ url: `${own.origin}/v1/chat/completions` })))).toEqual([{ data: '{"n":1}' }]);
        await own.requests[round]?.closed;
        await delay(10);
      }
      expect(new Set(own.requests.map((seen) => seen.remotePort)).size).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('honours a custom terminator and accepts a stream that ends without one by default', async () => {
    server.handle(writeEvents('event: message_start\ndata: {}\n\n', 'event: message_stop\ndata: {}\n\n'));
    expect(await collect(postForEvents(request(), { isTerminator: (event) => event.event === 'message_stop' }))).toEqual([{ event: 'message_start', data: '{}' }]);
    server.handle(writeEvents('data: {"a":1}\n\n'));
    expect(await collect(postForEvents(request()))).toEqual([{ data: '{"a":1}' }]);
  });

  it('reports a stream that ends before its terminator as interrupted after the first byte', async () => {
    server.handle(writeEvents('data: {"n":1}\n\n'));
    const events: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const event of postForEvents(request(), { requireTerminator: true })) events.push(event);
      })(),
    );
    expect(events).toHaveLength(1);
    expect(error.code).toBe('upstream_stream_interrupted');
    expect(error.afterFirstByte).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('reports a stream cut inside an event as interrupted', async () => {
    server.handle(writeEvents('data: {"n":1}\n\n', 'data: {"n":'));
    const error = await failure(collect(postForEvents(request())));
    expect(error.code).toBe('upstream_stream_interrupted');
    expect(error.afterFirstByte).toBe(true);
  });

  it('reports a connection reset mid-stream as interrupted after the first byte', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"n":1}\n\n');
      await delay(20);
      response.socket?.destroy();
    });
    const error = await failure(collect(postForEvents(request())));
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_stream_interrupted');
    expect(error.afterFirstByte).toBe(true);
  });

  it('keeps a failure before any event retryable', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await failure(collect(postForEvents(request())));
    expect(error.afterFirstByte).toBe(false);
    expect(error.retryable).toBe(true);
  });

  it('times out a stream that goes quiet', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"n":1}\n\n');
    });
    const error = await failure(collect(postForEvents(request({ timeoutMs: 150 }))));
    expect(error.status).toBe(504);
    expect(error.afterFirstByte).toBe(true);
  });

  it('maps an error status to UpstreamError before any event', async () => {
    server.handle((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }));
    });
    const error = await failure(collect(postForEvents(request())));
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
  });

  it('turns a JSON error answered with 200 into an UpstreamError', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 17, error_msg: 'Open api daily request limit reached' }));
    });
    const error = await failure(collect(postForEvents(request())));
    expect(error.status).toBe(502);
    expect(error.message).toBe('test-upstream: Open api daily request limit reached');
    expect(error.code).toBe('17');
  });

  it('cancels the upstream request when the consumer stops early', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let index = 0; index < 100 && !response.destroyed; index += 1) {
        response.write(`data: {"n":${index}}\n\n`);
        await delay(10);
      }
      response.end();
    });
    for await (const event of postForEvents(request())) {
      expect(event.data).toBe('{"n":0}');
      break;
    }
    expect(await server.requests[0]?.closed).toEqual({ finished: false });
  });

  it('cancels the upstream request on abort mid-stream and rejects with an AbortError', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"n":1}\n\n');
      await delay(10_000);
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const consuming = (async () => {
      for await (const event of postForEvents(request({ signal: controller.signal }))) {
        seen.push(event.data);
        controller.abort();
      }
    })();
    await expect(consuming).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['{"n":1}']);
    expect(await server.requests[0]?.closed).toEqual({ finished: false });
  });
});

describe('postForJsonLines', () => {
  it('yields each line and stops after the last one', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write('{"message":{"content":"Hel"},"done":false}\n{"message":');
      await delay(5);
      response.end('{"content":"lo"},"done":false}\n{"done":true,"eval_count":2}\n');
    });
    const values = await collect(postForJsonLines(request(), { isLast: (value) => typeof value === 'object' && value !== null && 'done' in value && value.done === true }));
    expect(values).toEqual([
      { message: { content: 'Hel' }, done: false },
      { message: { content: 'lo' }, done: false },
      { done: true, eval_count: 2 },
    ]);
  });

  it('reports a line that is not JSON as an invalid response', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('{"a":1}\n<html>\n');
    });
    const error = await failure(collect(postForJsonLines(request())));
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.afterFirstByte).toBe(true);
  });

  it('reports a stream that ends before its last line as interrupted', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('{"done":false}\n');
    });
    const error = await failure(collect(postForJsonLines(request(), { isLast: () => false, requireLast: true })));
    expect(error.code).toBe('upstream_stream_interrupted');
  });
});
