// One model call of a GPT run: admitted through the caller's metering, executed by the router,
// and read into one outcome (text, tool calls, finish reason, usage). A streamed call forwards
// its text as it arrives, in the run's own id and model name; tool-call fragments are gathered
// until the call ends, since only then is it known whose tools they call.
import type { ChatCompletionChunk, ChatCompletionRequest, FinishReason, ToolCall, Usage } from '../../api/index.js';
import { promptTokenUpperBound } from '../../api/index.js';
import { newId } from '../../core/index.js';
import type { Router } from '../../routing/index.js';
import type { GptMeteredStep, GptRunContext, GptRunEvent, GptRevenueShare, PreparedGptRun } from './gpt-run-types.js';

export interface StepOutcome {
  readonly content: string;
  readonly refusal: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason | null;
  readonly usage: Usage | undefined;
}

export interface StepInput {
  readonly router: Router;
  readonly prepared: PreparedGptRun;
  readonly context: GptRunContext;
  readonly request: ChatCompletionRequest;
  readonly step: number;
  readonly remainingMilliseconds: number;
  readonly revenueShare: GptRevenueShare | null;
}

/** What every chunk of a run is stamped with, so the client sees one stream whatever the steps. */
export interface RunIdentity {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  /** Whether a chunk went out yet (the first one carries the role). */
  started: boolean;
}

export function newRunIdentity(model: string): RunIdentity {
  return { id: newId('chatcmpl'), created: Math.floor(Date.now() / 1000), model, started: false };
}

async function admit(input: StepInput): Promise<GptMeteredStep> {
  const { request, prepared, context, step } = input;
  return context.admitStep({
    requestId: `${context.requestId}.s${step}`,
    plan: prepared.plan,
    promptTokenBound: () => promptTokenUpperBound(request),
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    gptId: prepared.gpt.gptId,
    revenueShare: input.revenueShare,
  });
}

function executionOptions(input: StepInput, call: GptMeteredStep) {
  return { requestId: `${input.context.requestId}.s${input.step}`, signal: input.context.signal, deadlineMilliseconds: input.remainingMilliseconds, onUsage: call.onUsage };
}

/** A whole (not streamed) model call. */
export async function completeStep(input: StepInput): Promise<StepOutcome> {
  const call = await admit(input);
  let result;
  try {
    result = await input.router.executeChat(input.prepared.plan, input.request, executionOptions(input, call));
  } catch (error) {
    call.abandon();
    throw error;
  }
  const choice = result.completion.choices[0];
  const message = choice?.message;
  return {
    content: message?.content ?? '',
    refusal: message?.refusal ?? '',
    toolCalls: message?.tool_calls ?? [],
    finishReason: choice?.finish_reason ?? null,
    usage: result.completion.usage ?? result.usage,
  };
}

export function textChunk(identity: RunIdentity, delta: { content?: string; refusal?: string }): ChatCompletionChunk {
  const role = identity.started ? {} : { role: 'assistant' as const };
  identity.started = true;
  return { id: identity.id, object: 'chat.completion.chunk', created: identity.created, model: identity.model, choices: [{ index: 0, delta: { ...role, ...delta }, logprobs: null, finish_reason: null }] };
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/** A streamed model call: yields its text as chunks and returns the outcome once it ended. */
export async function* streamStep(input: StepInput, identity: RunIdentity): AsyncGenerator<GptRunEvent, StepOutcome, undefined> {
  const call = await admit(input);
  let execution;
  try {
    execution = await input.router.executeStreamChat(input.prepared.plan, input.request, executionOptions(input, call));
  } catch (error) {
    call.abandon();
    throw error;
  }
  let content = '';
  let refusal = '';
  let finishReason: FinishReason | null = null;
  let usage: Usage | undefined;
  const pending = new Map<number, PendingCall>();
  let ended = false;
  try {
    for await (const part of execution.parts) {
      if (part.type === 'usage') {
        usage = part.usage;
        continue;
      }
      const choice = part.chunk.choices.find((candidate) => candidate.index === 0);
      if (choice === undefined) continue;
      const { delta } = choice;
      for (const fragment of delta.tool_calls ?? []) {
        let gathered = pending.get(fragment.index);
        if (gathered === undefined) {
          gathered = { id: fragment.id ?? newId('call'), name: '', arguments: '' };
          pending.set(fragment.index, gathered);
        }
        if (fragment.function?.name !== undefined) gathered.name += fragment.function.name;
        if (fragment.function?.arguments !== undefined) gathered.arguments += fragment.function.arguments;
      }
      if (typeof delta.content === 'string' && delta.content !== '') {
        content += delta.content;
        yield { type: 'chunk', chunk: textChunk(identity, { content: delta.content }) };
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        refusal += delta.refusal;
        yield { type: 'chunk', chunk: textChunk(identity, { refusal: delta.refusal }) };
      }
      if (choice.finish_reason !== null) finishReason = choice.finish_reason;
    }
    ended = true;
  } finally {
    // A consumer that stopped reading (the client went away) stops the upstream; what it produced is billed.
    if (!ended) execution.cancel();
  }
  const toolCalls: ToolCall[] = [...pending.entries()]
    .sort(([left], [right]) => left - right)
    .map(([, gathered]) => ({ id: gathered.id, type: 'function', function: { name: gathered.name, arguments: gathered.arguments } }));
  return { content, refusal, toolCalls, finishReason, usage };
}
