// The shapes the GPT runner hands to its callers: what a prepared run is, what each step asks of
// the caller's metering, the events a run produces, and the extension field of its answer.
import type { ChatCompletionChunk, FinishReason, ToolCall, Usage } from '../../api/index.js';
import type { Principal } from '../../accounts/index.js';
import type { RoutePlan, UsageListener } from '../../routing/index.js';
import type { GptTool, PublishedGpt, RetrievedPassage } from '../gpt-contracts.js';
import type { GptCitation } from './gpt-run-knowledge.js';
import type { RunIdentity } from './gpt-run-step.js';

/** The creator's part of what the caller pays for a GPT's model calls. */
export interface GptRevenueShare {
  readonly creatorOrganisationId: string;
  readonly basisPoints: number;
}

/** A GPT resolved for one caller: the version, the base model's plan and the version's tools. */
export interface PreparedGptRun {
  readonly gpt: PublishedGpt;
  readonly plan: RoutePlan;
  readonly tools: readonly GptTool[];
  /** An editor's run of the unpublished draft (`gpt:<slug>@draft`): version 0, no revenue share. */
  readonly preview?: boolean;
}

/** What one model call of a run asks of the caller's limits and ledger (one ledger row per step). */
export interface GptStepAdmissionRequest {
  /** `<request id>.s<step>`: the step's own ledger row. */
  readonly requestId: string;
  readonly plan: RoutePlan;
  /** An upper bound of the step's prompt tokens. */
  readonly promptTokenBound: () => number;
  readonly maxOutputTokens: number | undefined;
  readonly gptId: string;
  /** Null when the caller is the creator's own organisation: nobody to share with. */
  readonly revenueShare: GptRevenueShare | null;
}

/** An admitted step: `onUsage` goes to the router; `abandon` when the step failed before its usage was reported. */
export interface GptMeteredStep {
  readonly onUsage: UsageListener;
  abandon(): void;
}

export interface GptRunContext {
  readonly requestId: string;
  readonly principal: Principal;
  /** Aborted when the client goes away: the current model call and tools stop. */
  readonly signal?: AbortSignal | undefined;
  /** Admits one model call through the caller's limits and budget (GatewayMetering in the server). */
  readonly admitStep: (request: GptStepAdmissionRequest) => Promise<GptMeteredStep>;
}

/** One executed call of a GPT tool, as shown in the answer's extension field. */
export interface GptToolCallRecord {
  /** The model call (1-based) that asked for it. */
  readonly step: number;
  readonly callId: string;
  readonly name: string;
  readonly arguments: string;
  readonly ok: boolean;
  /** What went back to the model. */
  readonly output: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly durationMilliseconds: number;
}

/** Why a run ended without the model's own finish: the step limit. */
export type GptFinishReason = FinishReason | 'max_steps';

/** The end of a run. */
export interface GptRunFinish {
  /** The id, creation time and model name every chunk and the answer of this run carry. */
  readonly identity: RunIdentity;
  /** Every step's text, in order (usually only the last step has text). */
  readonly content: string;
  readonly refusal: string | null;
  /** Calls of the caller's own tools: returned to the caller, never executed here. */
  readonly callerToolCalls: readonly ToolCall[];
  readonly finishReason: GptFinishReason;
  readonly usage: Usage;
  readonly toolCalls: readonly GptToolCallRecord[];
  readonly passages: readonly RetrievedPassage[];
  readonly modelCalls: number;
}

export type GptRunEvent =
  /** Text of the current step, as it arrives (streamed runs only), already in the run's id and model. */
  | { readonly type: 'chunk'; readonly chunk: ChatCompletionChunk }
  /** A step whose GPT tool calls were executed. */
  | { readonly type: 'tool_step'; readonly step: number; readonly calls: readonly GptToolCallRecord[] }
  | { readonly type: 'finish'; readonly finish: GptRunFinish };

/** The `modelmart` extension field of a GPT's answer. */
export interface GptAnswerExtension {
  readonly gpt: string;
  readonly gpt_id: string;
  readonly version: number;
  readonly base_model: string;
  readonly model_calls: number;
  readonly steps: readonly {
    readonly step: number;
    readonly call_id: string;
    readonly name: string;
    readonly arguments: string;
    readonly ok: boolean;
    readonly output: string;
    readonly error?: { readonly code: string; readonly message: string };
    readonly duration_ms: number;
  }[];
  readonly citations: readonly GptCitation[];
  /** Set when the run ended at the step limit. */
  readonly stopped?: { readonly reason: 'max_steps'; readonly message: string };
}
