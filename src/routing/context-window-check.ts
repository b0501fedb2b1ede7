// Before any upstream call: which targets can take this prompt at all. A target whose context
// window is smaller than the prompt plus the requested completion is skipped; when none is left
// the client gets OpenAI's 400 `context_length_exceeded` instead of a slow upstream refusal.
import type { ChatCompletionRequest } from '../api/index.js';
import { countPromptTokens, requestedCompletionTokens } from '../api/token-counting.js';
import { ModelmartError } from '../core/index.js';
import type { RoutePlan, RouteTarget } from './route-plan.js';

export interface ContextWindowCheck {
  /** Prompt tokens when they had to be counted (some target declares a window), else undefined. */
  readonly promptTokens: number | undefined;
  /** Why a target cannot take this request, or undefined when it can. */
  skipReason(target: RouteTarget): string | undefined;
}

/** Every chat target fits: no window is declared, or the request is not a chat (legacy completions). */
export const allChatTargetsFit: ContextWindowCheck = { promptTokens: undefined, skipReason: (target) => (target.embedding ? 'an embeddings model' : undefined) };

export function checkContextWindows(plan: RoutePlan, request: ChatCompletionRequest, knownPromptTokens?: number): ContextWindowCheck {
  let largestWindow = 0;
  let anyChatTarget = false;
  for (const target of plan.targets) {
    if (target.embedding) continue;
    anyChatTarget = true;
    if (target.contextWindow !== undefined && target.contextWindow > largestWindow) largestWindow = target.contextWindow;
  }
  if (!anyChatTarget) {
    throw new ModelmartError(400, `The model '${plan.publicName}' is an embeddings model; call POST /v1/embeddings with it.`, {
      code: 'model_not_supported',
      param: 'model',
    });
  }
  // Counting tokens costs time proportional to the prompt: only when some window is declared.
  if (largestWindow === 0) return allChatTargetsFit;

  const promptTokens = knownPromptTokens ?? countPromptTokens(request);
  const completionTokens = requestedCompletionTokens(request);
  const requested = promptTokens + completionTokens;
  const skipReason = (target: RouteTarget): string | undefined => {
    if (target.embedding) return 'an embeddings model';
    if (target.contextWindow !== undefined && target.contextWindow < requested) {
      return `context window of ${target.contextWindow} tokens is smaller than the ${requested} requested`;
    }
    return undefined;
  };
  if (plan.targets.some((target) => skipReason(target) === undefined)) return { promptTokens, skipReason };

  throw new ModelmartError(
    400,
    `This model's maximum context length is ${largestWindow} tokens. However, you requested ${requested} tokens ` +
      `(${promptTokens} in the messages, ${completionTokens} in the completion). Please reduce the length of the messages or completion.`,
    { code: 'context_length_exceeded', param: 'messages' },
  );
}

/** Embeddings go to any target of the plan; a chat-only deployment answers with its own error. */
export const allTargetsFit: ContextWindowCheck = { promptTokens: undefined, skipReason: () => undefined };
