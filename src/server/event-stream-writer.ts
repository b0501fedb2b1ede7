// Writes a Server-Sent Events response on the raw socket: headers once, one event per write,
// honouring backpressure so a slow client slows the upstream instead of filling memory.
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ModelmartError } from '../core/index.js';
import type { CancellationSignal } from '../routing/index.js';

export class EventStreamWriter {
  private readonly raw: ServerResponse;
  private corked = false;
  // Events written in one turn of the event loop (often several from one upstream read) leave
  // in one socket write: cork on the first, uncork once the turn is over.
  private readonly uncork = (): void => {
    this.corked = false;
    this.raw.uncork();
  };

  constructor(reply: FastifyReply, extraHeaders: Readonly<Record<string, string>> = {}) {
    reply.hijack();
    this.raw = reply.raw;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    this.raw.writeHead(200, {
      ...headers,
      ...extraHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // Reverse proxies such as nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
  }

  get closed(): boolean {
    return this.raw.destroyed || this.raw.writableEnded;
  }

  /**
   * Writes pre-encoded SSE text. Returns a promise only when the socket's buffer is full, so the
   * caller waits (and slows the upstream) only then; otherwise nothing is awaited per event.
   */
  write(text: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (!this.corked) {
      this.corked = true;
      this.raw.cork();
      setImmediate(this.uncork);
    }
    if (this.raw.write(text)) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.raw.off('drain', done);
        this.raw.off('close', done);
        resolve();
      };
      this.raw.once('drain', done);
      this.raw.once('close', done);
    });
  }

  /** An error after the stream began: an `error` event (the openai SDK raises it), then the end. */
  fail(error: ModelmartError): void {
    this.write(`data: ${JSON.stringify(error.toBody())}\n\n`);
    this.end();
  }

  end(): void {
    if (!this.closed) this.raw.end();
  }
}

/** An AbortSignal that fires when the client goes away before the response has finished. */
/**
 * Fires when the client goes away before its response finished. Shaped like an AbortSignal (the
 * three members routing uses) but without an AbortController: one fewer per request on the hot path.
 */
class ClientDisconnect implements CancellationSignal {
  aborted = false;
  private listeners: (() => void)[] = [];

  constructor(reply: FastifyReply) {
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished) return;
      this.aborted = true;
      const listeners = this.listeners;
      this.listeners = [];
      for (const listener of listeners) listener();
    });
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) listener();
    else this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }
}

export function clientDisconnectSignal(reply: FastifyReply): CancellationSignal {
  return new ClientDisconnect(reply);
}

/** The same as a real AbortSignal, for services that need one (the Responses API's). */
export function clientAbortSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the request'));
  });
  return controller.signal;
}

/** Dropped-parameter notes as one ASCII header (RFC 7234 warn-code 299 style). */
export function warningHeader(warnings: readonly string[]): string | undefined {
  if (warnings.length === 0) return undefined;
  return warnings.map((warning) => `299 modelmart "${warning.replace(/[^\x20-\x7e]/g, '?').replace(/"/g, "'")}"`).join(', ');
}
