import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { readChatCompletionStream, readServerSentEvents } from './sse-reader';

function streamOf(parts: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function chunk(content: string): string {
  return `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
}

describe('server-sent events reader', () => {
  it('splits events however the bytes arrive: CRLF, CR, multi-line data, comments, split characters', async () => {
    const text = ': keep-alive\r\nevent: note\r\ndata: one\r\ndata: two\r\n\r\ndata: 你好\r\rdata: last';
    const bytes = new TextEncoder().encode(text);
    // One byte at a time: lines, \r\n pairs and the UTF-8 bytes of 你 are all split.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    expect(await collect(readServerSentEvents(stream))).toEqual([
      { event: 'note', data: 'one\ntwo' },
      { event: null, data: '你好' },
      { event: null, data: 'last' },
    ]);
  });

  it('yields chat chunks until [DONE], with the usage chunk', async () => {
    const usage = `data: ${JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } })}\n\n`;
    const chunks = await collect(readChatCompletionStream(streamOf([chunk('Hel'), chunk('lo'), usage, 'data: [DONE]\n\n', chunk('after done')])));
    expect(chunks.map((entry) => entry.choices[0]?.delta.content ?? null)).toEqual(['Hel', 'lo', null]);
    expect(chunks[2]?.usage).toEqual({ prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 });
  });

  it('throws an error event in the stream as an ApiError with its message', async () => {
    const failing = readChatCompletionStream(streamOf([chunk('Hi'), `data: ${JSON.stringify({ error: { message: 'upstream broke', type: 'server_error', code: 'all_targets_failed', param: null } })}\n\n`]));
    const seen: string[] = [];
    const failure = await (async () => {
      try {
        for await (const entry of failing) seen.push(entry.choices[0]?.delta.content ?? '');
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(seen).toEqual(['Hi']);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe('upstream broke');
    expect((failure as ApiError).code).toBe('all_targets_failed');
  });

  describe('over a real HTTP stream', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const parts = [chunk('Hello'), chunk(', '), chunk('world'), 'data: [DONE]\n\n'];
        let index = 0;
        const timer = setInterval(() => {
          const part = parts[index++];
          if (part === undefined) {
            clearInterval(timer);
            response.end();
            return;
          }
          response.write(part);
        }, 5);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

    it('reads the chunks as they arrive through fetch', async () => {
      const response = await fetch(url);
      const texts: string[] = [];
      for await (const entry of readChatCompletionStream(response.body!)) texts.push(entry.choices[0]?.delta.content ?? '');
      expect(texts).toEqual(['Hello', ', ', 'world']);
    });
  });
});
