// One adapter for every upstream that speaks OpenAI's API: OpenAI itself, the compatible
// clouds, and private servers (vLLM, Ollama, llama.cpp, LM Studio, another Modelmart). The
// preset supplies base URL and quirks; the wire format is otherwise passed through untouched.
import type { ChatCompletion, ChatCompletionRequest, Usage } from '../../api/index.js';
import type { ProviderConfig } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';
import { postForEvents, postJson, type UpstreamRequest } from '../http/index.js';
import type { CompletionRequest, EmbeddingsRequest, EmbeddingsResult, ProviderAdapter, ProviderCallContext, StreamPart } from '../provider-contract.js';
import {
  convertToOpenAiCompatibleChatRequest,
  convertToOpenAiCompatibleCompletionRequest,
  convertToOpenAiCompatibleEmbeddingsRequest,
} from './convert-to-openai-compatible-request.js';
import { invalidResponse, toChatCompletion, toChatCompletionChunk, toEmbeddingsResult, toTextCompletion, type ResponseContext } from './map-openai-compatible-response.js';
import { findOpenAiCompatiblePreset, openAiCompatiblePresets, type OpenAiCompatiblePreset } from './openai-compatible-presets.js';
import { resolveQuirks, type ResolvedQuirks } from './openai-compatible-quirks.js';

/** Quirks are resolved once per upstream model; this bounds the cache against unbounded names. */
const maximumCachedModels = 256;

function misconfigured(config: ProviderConfig, message: string): ModelmartError {
  return new ModelmartError(500, `Provider ${JSON.stringify(config.id)} (openai-compatible): ${message}`, { code: 'provider_misconfigured' });
}

function presetOf(config: ProviderConfig): OpenAiCompatiblePreset | undefined {
  if (config.preset === undefined) return undefined;
  const preset = findOpenAiCompatiblePreset(config.preset);
  if (preset === undefined) {
    throw misconfigured(config, `unknown preset ${JSON.stringify(config.preset)}; known presets: ${openAiCompatiblePresets.map((known) => known.id).join(', ')}.`);
  }
  return preset;
}

export class OpenAiCompatibleAdapter implements ProviderAdapter {
  readonly id: string;
  readonly type = 'openai-compatible' as const;
  readonly preset: OpenAiCompatiblePreset | undefined;
  readonly baseUrl: string;
  /** Absent where the preset says the vendor has no such endpoint, so routing can tell. */
  readonly embed?: (request: EmbeddingsRequest, upstreamModel: string, context: ProviderCallContext) => Promise<EmbeddingsResult>;
  readonly complete?: (request: CompletionRequest, upstreamModel: string, context: ProviderCallContext) => Promise<Record<string, unknown>>;

  private readonly subject: string;
  private readonly chatUrl: string;
  private readonly embeddingsUrl: string;
  private readonly completionsUrl: string;
  private readonly jsonHeaders: Readonly<Record<string, string>>;
  private readonly streamHeaders: Readonly<Record<string, string>>;
  private readonly timeout: { readonly timeoutMs?: number };
  private readonly chatQuirks = new Map<string, ResolvedQuirks>();
  private readonly embeddingsQuirks: ResolvedQuirks;

  constructor(config: ProviderConfig) {
    this.id = config.id;
    this.preset = presetOf(config);
    const baseUrl = config.baseUrl ?? this.preset?.baseUrl;
    if (baseUrl === undefined) throw misconfigured(config, 'set baseUrl (for example http://127.0.0.1:8000/v1) or a preset.');
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.chatUrl = `${this.baseUrl}/chat/completions`;
    this.embeddingsUrl = `${this.baseUrl}/embeddings`;
    this.completionsUrl = `${this.baseUrl}/completions`;
    this.subject = this.preset === undefined || this.preset.id === config.id ? config.id : `${config.id} (${this.preset.vendor})`;

    // Built once: every request reuses these objects as they are.
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const authentication = this.preset?.authentication ?? { header: 'authorization', scheme: 'Bearer' };
    if (config.apiKey !== undefined) headers[authentication.header] = authentication.scheme === '' ? config.apiKey : `${authentication.scheme} ${config.apiKey}`;
    for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
    this.jsonHeaders = { ...headers, accept: 'application/json' };
    this.streamHeaders = { ...headers, accept: 'text/event-stream' };
    this.timeout = config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs };
    this.embeddingsQuirks = resolveQuirks(this.subject, this.preset?.embeddingsQuirks ?? {}, [], '');

    const endpoints = this.preset?.endpoints ?? { embeddings: true, completions: true };
    if (endpoints.embeddings) this.embed = (request, upstreamModel, context) => this.embedWith(request, upstreamModel, context);
    if (endpoints.completions) this.complete = (request, upstreamModel, context) => this.completeWith(request, upstreamModel, context);
  }

  async chat(request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): Promise<ChatCompletion> {
    const body = convertToOpenAiCompatibleChatRequest(request, upstreamModel, this.quirksFor(upstreamModel), false, context.warnings);
    const response = await postJson(this.upstreamRequest(this.chatUrl, body, this.jsonHeaders, context));
    return toChatCompletion(response.body, this.responseContext(upstreamModel, context));
  }

  async *streamChat(request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): AsyncGenerator<StreamPart, void, undefined> {
    const body = convertToOpenAiCompatibleChatRequest(request, upstreamModel, this.quirksFor(upstreamModel), true, context.warnings);
    const responseContext = this.responseContext(upstreamModel, context);
    const events = postForEvents(this.upstreamRequest(this.chatUrl, body, this.streamHeaders, context), { requireTerminator: true });
    let usage: Usage | undefined;
    let delivered = false;
    for await (const event of events) {
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch (error) {
        throw invalidResponse(responseContext, `the upstream sent a stream event that is not JSON: ${event.data.slice(0, 200)}`, delivered, error);
      }
      const normalised = toChatCompletionChunk(value, responseContext, delivered);
      // Vendors that report usage on every chunk report running totals: the last one counts.
      if (normalised.usage !== undefined) usage = normalised.usage;
      // The usage-only final chunk, and role-less keep-alive chunks, carry nothing to pass on.
      if (normalised.chunk.choices.length === 0) continue;
      delivered = true;
      // Data that spanned several `data:` lines holds newlines and must be encoded again to be one line.
      const passOn = normalised.unchanged && !event.data.includes('\n');
      yield passOn ? { type: 'chunk', chunk: normalised.chunk, encoded: event.data } : { type: 'chunk', chunk: normalised.chunk };
    }
    if (usage !== undefined) yield { type: 'usage', usage };
  }

  private async embedWith(request: EmbeddingsRequest, upstreamModel: string, context: ProviderCallContext): Promise<EmbeddingsResult> {
    const body = convertToOpenAiCompatibleEmbeddingsRequest(request, upstreamModel, this.embeddingsQuirks, context.warnings);
    const response = await postJson(this.upstreamRequest(this.embeddingsUrl, body, this.jsonHeaders, context));
    return toEmbeddingsResult(response.body, this.responseContext(upstreamModel, context));
  }

  private async completeWith(request: CompletionRequest, upstreamModel: string, context: ProviderCallContext): Promise<Record<string, unknown>> {
    const body = convertToOpenAiCompatibleCompletionRequest(request, upstreamModel, this.subject, context.warnings);
    const response = await postJson(this.upstreamRequest(this.completionsUrl, body, this.jsonHeaders, context));
    return toTextCompletion(response.body, this.responseContext(upstreamModel, context));
  }

  private quirksFor(upstreamModel: string): ResolvedQuirks {
    let quirks = this.chatQuirks.get(upstreamModel);
    if (quirks === undefined) {
      quirks = resolveQuirks(this.subject, this.preset?.quirks ?? {}, this.preset?.modelFamilies ?? [], upstreamModel);
      if (this.chatQuirks.size >= maximumCachedModels) this.chatQuirks.clear();
      this.chatQuirks.set(upstreamModel, quirks);
    }
    return quirks;
  }

  private upstreamRequest(url: string, body: unknown, headers: Readonly<Record<string, string>>, context: ProviderCallContext): UpstreamRequest {
    return { provider: this.id, url, headers, body, signal: context.signal, ...this.timeout };
  }

  private responseContext(upstreamModel: string, context: ProviderCallContext): ResponseContext {
    return { provider: this.subject, upstreamModel, warnings: context.warnings };
  }
}

export function createOpenAiCompatibleAdapter(config: ProviderConfig): OpenAiCompatibleAdapter {
  return new OpenAiCompatibleAdapter(config);
}
