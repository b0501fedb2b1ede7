// Runs the GPT tool calls of one step in parallel, each bounded by what is left of the run's
// deadline. Whatever happens to a tool (a refusal, a timeout, a throw from the toolbox) becomes a
// result whose text goes back to the model: a tool never ends the run.
import type { ToolCall } from '../../api/index.js';
import type { Clock } from '../../core/index.js';
import type { GptToolbox, ToolExecutionResult } from '../gpt-contracts.js';
import type { GptToolCallRecord } from './gpt-run-types.js';

export interface ToolStepInput {
  readonly toolbox: GptToolbox;
  readonly actionsSnapshot: unknown;
  readonly calls: readonly ToolCall[];
  readonly step: number;
  readonly requestId: string;
  /** Monotonic milliseconds by which every tool must have answered. */
  readonly deadline: number;
  /** The most one tool may take even with time left (a tool that ignores its own timeout is cut off here). */
  readonly toolTimeoutMilliseconds: number;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
}

function failure(code: string, message: string, durationMilliseconds: number): ToolExecutionResult {
  return { ok: false, content: `Tool error (${code}): ${message}`, error: { code, message }, durationMilliseconds };
}

async function executeOne(input: ToolStepInput, call: ToolCall): Promise<GptToolCallRecord> {
  const { clock } = input;
  const started = clock.monotonicMilliseconds();
  const remaining = Math.max(0, Math.min(input.deadline - started, input.toolTimeoutMilliseconds));
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ToolExecutionResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('the GPT run deadline passed'));
      resolve(failure('tool_timeout', `The tool did not answer within ${Math.round(remaining)} ms.`, clock.monotonicMilliseconds() - started));
    }, remaining);
  });
  let result: ToolExecutionResult;
  try {
    // The toolbox's deadline is epoch milliseconds (it may compare with Date.now()).
    const context = { requestId: `${input.requestId}.s${input.step}.${call.id}`, deadline: Date.now() + remaining, signal: controller.signal };
    const running = input.toolbox.execute(input.actionsSnapshot, call.function.name, call.function.arguments, context).catch((error: unknown) =>
      failure('tool_failed', error instanceof Error ? error.message : String(error), clock.monotonicMilliseconds() - started),
    );
    result = await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
  }
  return {
    step: input.step,
    callId: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
    ok: result.ok,
    output: result.content,
    ...(result.error === undefined ? {} : { error: result.error }),
    durationMilliseconds: Math.round(result.durationMilliseconds * 10) / 10,
  };
}

/** The records in the order of the calls. */
export function executeToolStep(input: ToolStepInput): Promise<GptToolCallRecord[]> {
  return Promise.all(input.calls.map(async (call) => executeOne(input, call)));
}
