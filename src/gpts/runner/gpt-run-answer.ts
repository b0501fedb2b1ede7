// A finished GPT run in the Chat Completions shape: the answer with its url_citation annotations
// and the `modelmart` extension (GPT, version, tool steps, citations), whole or as the closing
// chunks of a stream.
import type { ChatCompletionChunk, ToolCall, Usage } from '../../api/index.js';
import { chatAnnotations, citedPassages, findCitationMarkers, type ChatUrlCitation, type CitationMarker } from './gpt-run-knowledge.js';
import type { GptAnswerExtension, GptFinishReason, GptRunFinish, PreparedGptRun } from './gpt-run-types.js';
import { maxStepsMessage } from './gpt-runner.js';

// The extension repeats each tool's output for the caller to see; a long one is cut here (the model had all of it).
const extensionOutputCharacters = 4_000;

export interface GptChatCompletion {
  readonly id: string;
  readonly object: 'chat.completion';
  readonly created: number;
  readonly model: string;
  readonly choices: readonly {
    readonly index: 0;
    readonly message: {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly refusal: string | null;
      readonly tool_calls?: readonly ToolCall[];
      readonly annotations: readonly ChatUrlCitation[];
    };
    readonly logprobs: null;
    readonly finish_reason: GptFinishReason;
  }[];
  readonly usage: Usage;
  readonly modelmart: GptAnswerExtension;
}

export function answerMarkers(finish: GptRunFinish): CitationMarker[] {
  return findCitationMarkers(finish.content, finish.passages);
}

export function answerExtension(prepared: PreparedGptRun, finish: GptRunFinish, markers: readonly CitationMarker[], maxSteps: number): GptAnswerExtension {
  const { gpt } = prepared;
  return {
    gpt: gpt.slug,
    gpt_id: gpt.gptId,
    version: gpt.version,
    base_model: gpt.baseModel,
    model_calls: finish.modelCalls,
    steps: finish.toolCalls.map((record) => ({
      step: record.step,
      call_id: record.callId,
      name: record.name,
      arguments: record.arguments,
      ok: record.ok,
      output: record.output.length > extensionOutputCharacters ? `${record.output.slice(0, extensionOutputCharacters)}…` : record.output,
      ...(record.error === undefined ? {} : { error: record.error }),
      duration_ms: record.durationMilliseconds,
    })),
    citations: citedPassages(markers),
    ...(finish.finishReason === 'max_steps' ? { stopped: { reason: 'max_steps' as const, message: maxStepsMessage(maxSteps) } } : {}),
  };
}

export function chatCompletionOf(prepared: PreparedGptRun, finish: GptRunFinish, maxSteps: number): GptChatCompletion {
  const { identity } = finish;
  const markers = answerMarkers(finish);
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: finish.content === '' && finish.callerToolCalls.length > 0 ? null : finish.content,
          refusal: finish.refusal,
          ...(finish.callerToolCalls.length > 0 ? { tool_calls: finish.callerToolCalls } : {}),
          annotations: chatAnnotations(markers),
        },
        logprobs: null,
        finish_reason: finish.finishReason,
      },
    ],
    usage: finish.usage,
    modelmart: answerExtension(prepared, finish, markers, maxSteps),
  };
}

/** A chunk in the Chat Completions stream shape with fields this gateway adds (finish reason `max_steps`, annotations, the extension). */
export type GptChatChunk = Omit<ChatCompletionChunk, 'choices'> & {
  readonly choices: readonly Record<string, unknown>[];
  readonly modelmart?: GptAnswerExtension;
};

/** The chunks that close a streamed run: the caller's tool calls (when there are some), then the finish with annotations and the extension. */
export function closingChunks(prepared: PreparedGptRun, finish: GptRunFinish, maxSteps: number): GptChatChunk[] {
  const { identity } = finish;
  const markers = answerMarkers(finish);
  const base = { id: identity.id, object: 'chat.completion.chunk' as const, created: identity.created, model: identity.model };
  const role = identity.started ? {} : { role: 'assistant' as const };
  identity.started = true;
  const chunks: GptChatChunk[] = [];
  if (finish.callerToolCalls.length > 0) {
    const toolCalls = finish.callerToolCalls.map((call, index) => ({ index, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }));
    chunks.push({ ...base, choices: [{ index: 0, delta: { ...role, tool_calls: toolCalls }, logprobs: null, finish_reason: null }] });
  }
  const annotations = chatAnnotations(markers);
  chunks.push({
    ...base,
    choices: [{ index: 0, delta: { ...(chunks.length === 0 ? role : {}), ...(annotations.length > 0 ? { annotations } : {}) }, logprobs: null, finish_reason: finish.finishReason }],
    modelmart: answerExtension(prepared, finish, markers, maxSteps),
  });
  return chunks;
}

/** The usage chunk of `stream_options.include_usage`: the sum over the run's model calls. */
export function usageChunkOf(finish: GptRunFinish): GptChatChunk {
  const { identity, usage } = finish;
  return { id: identity.id, object: 'chat.completion.chunk', created: identity.created, model: identity.model, choices: [], usage };
}
