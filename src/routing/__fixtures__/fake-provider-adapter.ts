// In-memory provider adapters for routing tests: each call follows a scripted behaviour
// (answer, fail, hang, stream), and every call is recorded with the signal it was given.
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, Usage } from '../../api/index.js';
import { configSchema, type Config, type ConfigInput } from '../../config/index.js';
import type { Clock } from '../../core/index.js';
import type { ProviderAdapter, ProviderCallContext, StreamPart } from '../../providers/provider-contract.js';
import { UpstreamError } from '../../providers/provider-errors.js';

export type FakeBehavior =
  | { readonly kind: 'answer'; readonly text: string; readonly usage?: Usage | undefined; readonly delayMilliseconds?: number }
  | { readonly kind: 'fail'; readonly error: unknown }
  /** Never answers; rejects when aborted, unless it ignores its signal like a buggy adapter. */
  | { readonly kind: 'hang'; readonly ignoreAbort?: boolean }
  | {
      readonly kind: 'stream';
      readonly texts: readonly string[];
      readonly usage?: Usage | undefined;
      /** Throws `failure` after this many text parts were yielded. */
      readonly failAfterParts?: number;
      readonly failure?: unknown;
      /** Hangs (until aborted) after this many text parts were yielded. */
      readonly hangAfterParts?: number;
    };

export interface FakeCall {
  readonly upstreamModel: string;
  readonly stream: boolean;
  readonly signal: AbortSignal;
}

export const answer = (text: string, usage?: Usage): FakeBehavior => ({ kind: 'answer', text, usage });
export const fail = (error: unknown): FakeBehavior => ({ kind: 'fail', error });
export const hang = (ignoreAbort = false): FakeBehavior => ({ kind: 'hang', ignoreAbort });
export const stream = (texts: readonly string[], options: Omit<Extract<FakeBehavior, { kind: 'stream' }>, 'kind' | 'texts'> = {}): FakeBehavior => ({ kind: 'stream', texts, ...options });

export function upstreamFailure(provider: string, status: number, message: string, retryAfterMilliseconds?: number): UpstreamError {
  return new UpstreamError({ provider, status, message, retryAfterMilliseconds });
}

/** What the shared HTTP client throws when nothing listens on the port. */
export function connectionRefused(provider: string): UpstreamError {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  return new UpstreamError({ provider, status: 502, message: 'could not reach http://127.0.0.1:9 (ECONNREFUSED)', code: 'upstream_unreachable' }, cause);
}

export function usage(promptTokens: number, completionTokens: number, cachedTokens = 0, reasoningTokens = 0): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}

function waitForAbort(signal: AbortSignal, ignoreAbort: boolean): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (ignoreAbort) return;
    const onAbort = (): void => {
      const error = new Error('The upstream request was aborted.', { cause: signal.reason });
      error.name = 'AbortError';
      reject(error);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function chunk(model: string, content: string | undefined, finishReason: 'stop' | null): ChatCompletionChunk {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finishReason }],
  };
}

export class FakeProviderAdapter implements ProviderAdapter {
  readonly type = 'openai-compatible' as const;
  readonly calls: FakeCall[] = [];

  constructor(
    readonly id: string,
    private readonly behave: (callIndex: number, upstreamModel: string) => FakeBehavior,
  ) {}

  async chat(_request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): Promise<ChatCompletion> {
    const behavior = this.record(upstreamModel, false, context);
    if (behavior.kind === 'fail') throw behavior.error;
    if (behavior.kind === 'hang') return waitForAbort(context.signal, behavior.ignoreAbort ?? false);
    if (behavior.kind === 'stream') throw new Error('a stream script was given to a non-streamed call');
    if (behavior.delayMilliseconds !== undefined) await new Promise((resolve) => setTimeout(resolve, behavior.delayMilliseconds));
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1,
      model: upstreamModel,
      choices: [{ index: 0, message: { role: 'assistant', content: behavior.text }, finish_reason: 'stop' }],
      ...(behavior.usage === undefined ? {} : { usage: behavior.usage }),
    };
  }

  async *streamChat(_request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): AsyncIterable<StreamPart> {
    const behavior = this.record(upstreamModel, true, context);
    if (behavior.kind === 'fail') throw behavior.error;
    if (behavior.kind === 'hang') return await waitForAbort(context.signal, behavior.ignoreAbort ?? false);
    if (behavior.kind === 'answer') throw new Error('an answer script was given to a streamed call');
    for (let index = 0; index < behavior.texts.length; index += 1) {
      if (behavior.failAfterParts === index) throw behavior.failure;
      if (behavior.hangAfterParts === index) await waitForAbort(context.signal, false);
      yield { type: 'chunk', chunk: chunk(upstreamModel, behavior.texts[index], null) };
    }
    if (behavior.failAfterParts === behavior.texts.length) throw behavior.failure;
    yield { type: 'chunk', chunk: chunk(upstreamModel, undefined, 'stop') };
    if (behavior.usage !== undefined) yield { type: 'usage', usage: behavior.usage };
  }

  private record(upstreamModel: string, isStream: boolean, context: ProviderCallContext): FakeBehavior {
    this.calls.push({ upstreamModel, stream: isStream, signal: context.signal });
    return this.behave(this.calls.length - 1, upstreamModel);
  }
}

/** Monotonic and wall time that move only when a test says so. */
export class FakeClock implements Clock {
  private elapsed = 0;
  now(): Date {
    return new Date(Date.UTC(2026, 0, 1) + this.elapsed);
  }
  monotonicMilliseconds(): number {
    return this.elapsed;
  }
  advance(milliseconds: number): void {
    this.elapsed += milliseconds;
  }
}

/** A sleep that returns at once, moves the fake clock, and remembers every wait. */
export function recordingSleep(clock: FakeClock): { readonly delays: number[]; sleep(milliseconds: number, signal: AbortSignal): Promise<void> } {
  const delays: number[] = [];
  return {
    delays,
    async sleep(milliseconds, signal) {
      delays.push(milliseconds);
      clock.advance(milliseconds);
      if (signal.aborted) throw signal.reason;
    },
  };
}

export function testConfig(input: ConfigInput): Config {
  return configSchema.parse(input);
}

export function chatRequest(model: string, content = 'hello world', extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return { model, messages: [{ role: 'user', content }], ...extra };
}
