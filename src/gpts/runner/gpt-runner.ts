// The GPT runner: `model: "gpt:<slug>[@<version>]"` resolved to a published version, its base
// model checked against the caller's key (and the licence policy, through a hook), instructions
// and retrieved knowledge put before the conversation, and the tool loop: call the base model,
// execute the GPT tools it asks for, append their results, repeat, until it answers, the step
// limit is reached, or the deadline passes. Every model call is metered on its own.
import type { ChatCompletionRequest, ChatMessage, FunctionTool, Usage } from '../../api/index.js';
import { keyAllowsGpt, keyAllowsModel, type Principal } from '../../accounts/index.js';
import type { Config } from '../../config/index.js';
import { invalidRequest, ModelmartError, systemClock, type Clock } from '../../core/index.js';
import type { RoutePlan, Router } from '../../routing/index.js';
import type { GptResolver, GptToolbox, KnowledgeRetriever, PublishedGpt, RetrievedPassage } from '../gpt-contracts.js';
import { knowledgeMessage, lastUserText } from './gpt-run-knowledge.js';
import { draftAsRunnableGpt, isDraftReference, type GptDraftSource } from './gpt-run-preview.js';
import { completeStep, newRunIdentity, streamStep, textChunk } from './gpt-run-step.js';
import type { GptRevenueShare, GptRunContext, GptRunEvent, GptRunFinish, GptToolCallRecord, PreparedGptRun } from './gpt-run-types.js';
import { executeToolStep } from './gpt-tool-execution.js';

const toolTimeoutMarginMilliseconds = 1_000;

/** The prefix that makes a model name a GPT reference. */
export const gptModelPrefix = 'gpt:';

export function isGptModel(model: string): boolean {
  return model.startsWith(gptModelPrefix);
}

export interface GptRunnerOptions {
  readonly resolver: GptResolver;
  readonly router: Router;
  /** Without one, GPTs answer without their knowledge. */
  readonly retriever?: KnowledgeRetriever | undefined;
  /** Without one, GPTs offer no tools. */
  readonly toolbox?: GptToolbox | undefined;
  readonly config: Config['gpts'];
  readonly clock?: Clock;
  /** Where `gpt:<slug>@draft` (an editor's preview of the unpublished draft) is read; without it drafts cannot be called. */
  readonly drafts?: GptDraftSource | undefined;
}

/** Extra checks on the base model before anything runs (the licence policy, which needs the HTTP reply for its headers). */
export type BaseModelCheck = (gpt: PublishedGpt, plan: RoutePlan) => Promise<void>;

function emptyUsage(): Usage {
  return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
}

function addUsage(total: Usage, step: Usage | undefined): Usage {
  if (step === undefined) return total;
  return {
    prompt_tokens: total.prompt_tokens + step.prompt_tokens,
    completion_tokens: total.completion_tokens + step.completion_tokens,
    total_tokens: total.total_tokens + step.total_tokens,
    prompt_tokens_details: { cached_tokens: (total.prompt_tokens_details?.cached_tokens ?? 0) + (step.prompt_tokens_details?.cached_tokens ?? 0) },
    completion_tokens_details: { reasoning_tokens: (total.completion_tokens_details?.reasoning_tokens ?? 0) + (step.completion_tokens_details?.reasoning_tokens ?? 0) },
  };
}

export function maxStepsMessage(maxSteps: number): string {
  return `The GPT stopped after ${maxSteps} model calls, its step limit, before it finished its answer.`;
}

export class GptRunner {
  private readonly clock: Clock;

  constructor(private readonly options: GptRunnerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Resolves the GPT for this caller and checks what it may run: 404 gpt_not_found, 403
   * gpt_not_allowed (the key's GPT allow list), 403 model_not_allowed (the base model is outside
   * the key's model scopes), 503 gpt_base_model_unavailable (the base model no longer resolves).
   */
  async prepare(model: string, principal: Principal, checkBaseModel?: BaseModelCheck): Promise<PreparedGptRun> {
    const reference = model.slice(gptModelPrefix.length);
    if (reference === '') throw invalidRequest('A GPT model name is "gpt:<slug>" or "gpt:<slug>@<version>".', 'model', 'invalid_model');
    const preview = isDraftReference(reference);
    const gpt = preview ? await this.resolveDraft(reference, principal) : await this.options.resolver.resolvePublished(reference, principal);
    if (!keyAllowsGpt(principal, gpt.slug)) {
      throw new ModelmartError(403, `This API key may not use the GPT '${gpt.slug}': it is not in the key's GPT allow list.`, { code: 'gpt_not_allowed', param: 'model' });
    }
    if (!keyAllowsModel(principal, gpt.baseModel)) {
      throw new ModelmartError(403, `The GPT '${gpt.slug}' runs on the model '${gpt.baseModel}', which is outside this API key's model scopes.`, { code: 'model_not_allowed', param: 'model' });
    }
    let plan: RoutePlan;
    try {
      plan = this.options.router.resolve(gpt.baseModel);
    } catch (error) {
      throw new ModelmartError(503, `The GPT '${gpt.slug}' runs on the model '${gpt.baseModel}', which this server no longer serves; its creator must publish a version on another model.`, {
        code: 'gpt_base_model_unavailable',
        param: 'model',
        retryable: false,
        cause: error,
      });
    }
    if (checkBaseModel !== undefined) await checkBaseModel(gpt, plan);
    const tools = gpt.capabilities.actions && this.options.toolbox !== undefined ? await this.options.toolbox.toolsOf(gpt.actionsSnapshot) : [];
    return preview ? { gpt, plan, tools, preview } : { gpt, plan, tools };
  }

  private async resolveDraft(reference: string, principal: Principal): Promise<PublishedGpt> {
    if (this.options.drafts === undefined) throw invalidRequest('This server does not run GPT drafts; publish the GPT and call gpt:<slug>.', 'model', 'invalid_gpt_reference');
    return draftAsRunnableGpt(this.options.drafts, this.options.toolbox, reference, principal);
  }

  /** Runs to the end without streaming; the finish event carries the answer. */
  async run(prepared: PreparedGptRun, request: ChatCompletionRequest, context: GptRunContext): Promise<GptRunFinish> {
    for await (const event of this.events(prepared, request, context, false)) if (event.type === 'finish') return event.finish;
    throw new Error('a GPT run ended without finishing');
  }

  /** Runs with the final text streamed as chunks (tool steps reported as they are done), ending with the finish event. */
  stream(prepared: PreparedGptRun, request: ChatCompletionRequest, context: GptRunContext): AsyncGenerator<GptRunEvent, void, undefined> {
    return this.events(prepared, request, context, true);
  }

  private revenueShareFor(prepared: PreparedGptRun, principal: Principal): GptRevenueShare | null {
    const { gpt } = prepared;
    // A creator using its own organisation's GPT pays the platform only; an editor previewing a draft earns its creator nothing.
    if (principal.organisationId === gpt.ownerOrganisationId || prepared.preview === true) return null;
    return { creatorOrganisationId: gpt.ownerOrganisationId, basisPoints: gpt.revenueShareBasisPoints };
  }

  private async conversation(prepared: PreparedGptRun, request: ChatCompletionRequest, signal: AbortSignal | undefined, caller: Principal): Promise<{ messages: ChatMessage[]; passages: readonly RetrievedPassage[] }> {
    const { gpt } = prepared;
    const messages: ChatMessage[] = [];
    if (gpt.instructions.trim() !== '') messages.push({ role: 'system', content: gpt.instructions });
    let passages: readonly RetrievedPassage[] = [];
    const query = lastUserText(request.messages);
    if (gpt.capabilities.knowledge && this.options.retriever !== undefined && query.trim() !== '') {
      const limit = this.options.config.knowledge.passagesPerAnswer;
      passages = await this.options.retriever.retrieve(gpt.gptId, query, signal === undefined ? { limit, caller } : { limit, signal, caller });
      if (passages.length > 0) messages.push(knowledgeMessage(passages));
    }
    messages.push(...request.messages);
    return { messages, passages };
  }

  private tools(prepared: PreparedGptRun, request: ChatCompletionRequest): FunctionTool[] {
    const gptTools: FunctionTool[] = prepared.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } } }));
    const names = new Set(gptTools.map((tool) => tool.function.name));
    for (const tool of request.tools ?? []) {
      if (names.has(tool.function.name)) {
        throw invalidRequest(`The tool name '${tool.function.name}' is taken by an action of the GPT '${prepared.gpt.slug}'; rename your tool.`, 'tools', 'tool_name_conflict');
      }
    }
    return [...gptTools, ...(request.tools ?? [])];
  }

  private async *events(prepared: PreparedGptRun, request: ChatCompletionRequest, context: GptRunContext, streaming: boolean): AsyncGenerator<GptRunEvent, void, undefined> {
    const { gpt } = prepared;
    const { maxSteps, deadlineMs } = this.options.config.runner;
    if ((request.n ?? 1) > 1) throw invalidRequest('A GPT gives one answer per request; n must be 1.', 'n', 'unsupported_parameter');
    const deadline = this.clock.monotonicMilliseconds() + deadlineMs;
    const tools = this.tools(prepared, request);
    const gptToolNames = new Set(prepared.tools.map((tool) => tool.name));
    const { messages, passages } = await this.conversation(prepared, request, context.signal, context.principal);
    const revenueShare = this.revenueShareFor(prepared, context.principal);
    const identity = newRunIdentity(`${gptModelPrefix}${gpt.slug}`);
    let usage = emptyUsage();
    let content = '';
    let refusal = '';
    const records: GptToolCallRecord[] = [];
    const finish = (step: number, finishReason: GptRunFinish['finishReason'], callerToolCalls: GptRunFinish['callerToolCalls']): GptRunEvent => ({
      type: 'finish',
      finish: { identity, content, refusal: refusal === '' ? null : refusal, callerToolCalls, finishReason, usage, toolCalls: records, passages, modelCalls: step },
    });

    for (let step = 1; ; step += 1) {
      // A client gone during a tool step is not charged for another model call.
      if (context.signal?.aborted === true) throw new ModelmartError(499, 'The client closed the request before it completed.', { code: 'client_closed_request', retryable: false });
      const remaining = deadline - this.clock.monotonicMilliseconds();
      if (remaining <= 0) throw this.deadlineError(gpt, step - 1);
      const stepRequest: ChatCompletionRequest = {
        ...request,
        model: gpt.baseModel,
        messages,
        stream: streaming,
        stream_options: streaming ? { include_usage: true } : undefined,
        tools: tools.length > 0 ? tools : undefined,
        tool_choice: tools.length > 0 ? request.tool_choice : undefined,
        parallel_tool_calls: tools.length > 0 ? request.parallel_tool_calls : undefined,
      };
      const input = { router: this.options.router, prepared, context, request: stepRequest, step, remainingMilliseconds: remaining, revenueShare };
      const outcome = streaming ? yield* streamStep(input, identity) : await completeStep(input);
      usage = addUsage(usage, outcome.usage);
      content += outcome.content;
      refusal += outcome.refusal;
      const gptCalls = outcome.toolCalls.filter((call) => gptToolNames.has(call.function.name));
      const callerCalls = outcome.toolCalls.filter((call) => !gptToolNames.has(call.function.name));
      // The caller's own tools end the run: only the caller can answer them.
      if (gptCalls.length === 0 || callerCalls.length > 0) {
        yield finish(step, callerCalls.length > 0 ? 'tool_calls' : (outcome.finishReason ?? 'stop'), callerCalls);
        return;
      }
      if (step >= maxSteps) {
        if (content === '') {
          content = maxStepsMessage(maxSteps);
          if (streaming) yield { type: 'chunk', chunk: textChunk(identity, { content }) };
        }
        yield finish(step, 'max_steps', []);
        return;
      }
      const toolbox = this.options.toolbox;
      if (toolbox === undefined) throw new Error('a GPT offered tools without a toolbox');
      const executed = await executeToolStep({
        toolbox,
        actionsSnapshot: gpt.actionsSnapshot,
        calls: gptCalls,
        step,
        requestId: context.requestId,
        deadline,
        // The toolbox times its own calls out at the outbound timeout; this is the backstop, a little later.
        toolTimeoutMilliseconds: this.options.config.outbound.timeoutMs + toolTimeoutMarginMilliseconds,
        clock: this.clock,
        signal: context.signal,
      });
      records.push(...executed);
      messages.push({ role: 'assistant', content: outcome.content === '' ? null : outcome.content, tool_calls: [...gptCalls] });
      for (const record of executed) messages.push({ role: 'tool', tool_call_id: record.callId, content: record.output });
      yield { type: 'tool_step', step, calls: executed };
    }
  }

  private deadlineError(gpt: PublishedGpt, modelCalls: number): ModelmartError {
    return new ModelmartError(504, `The GPT '${gpt.slug}' did not finish within its deadline of ${this.options.config.runner.deadlineMs} ms (after ${modelCalls} model calls).`, {
      code: 'gpt_deadline_exceeded',
    });
  }
}
