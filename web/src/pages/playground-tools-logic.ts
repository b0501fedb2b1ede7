// Pure logic behind the playground's function tools: a tool typed into the editor checked and
// turned into the request's `tools` entry, streamed tool-call deltas put together by index,
// the tool steps a GPT reports in its `modelmart` extension, and the model picker's groups.

export interface ToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface FunctionTool {
  readonly type: 'function';
  readonly function: { readonly name: string; readonly description?: string; readonly parameters: Record<string, unknown> };
}

export interface ToolDraft {
  readonly name: string;
  readonly description: string;
  readonly parameters: string;
}

export const emptyToolDraft: ToolDraft = {
  name: '',
  description: '',
  parameters: JSON.stringify({ type: 'object', properties: { city: { type: 'string', description: 'The city' } }, required: ['city'] }, null, 2),
};

/** Why a tool was refused; each is a message key under `account.tools.problem.`. */
export type ToolProblem = 'name' | 'nameTaken' | 'json' | 'notObject' | 'schemaType';

export type ToolCheck = { readonly ok: true; readonly tool: FunctionTool } | { readonly ok: false; readonly problems: readonly ToolProblem[] };

/** OpenAI's rule for function names: letters, digits, underscores and dashes, at most 64. */
const functionNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The editor's tool as a `tools` entry, or every reason it cannot be one yet. */
export function checkToolDraft(draft: ToolDraft, existingNames: readonly string[]): ToolCheck {
  const problems: ToolProblem[] = [];
  const name = draft.name.trim();
  if (!functionNamePattern.test(name)) problems.push('name');
  else if (existingNames.includes(name)) problems.push('nameTaken');
  let parameters: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(draft.parameters);
    if (!isRecord(parsed)) problems.push('notObject');
    // Function parameters are a JSON Schema for an object: the arguments always come as one.
    else if (parsed.type !== 'object') problems.push('schemaType');
    else parameters = parsed;
  } catch {
    problems.push('json');
  }
  if (problems.length > 0 || parameters === null) return { ok: false, problems };
  const description = draft.description.trim();
  return { ok: true, tool: { type: 'function', function: { name, ...(description === '' ? {} : { description }), parameters } } };
}

interface ToolCallDelta {
  readonly index: number;
  readonly id?: string;
  readonly name?: string;
  readonly arguments?: string;
}

/** The `tool_calls` of a stream chunk's delta, whatever else the delta holds. */
export function toolCallDeltas(delta: unknown): ToolCallDelta[] {
  if (!isRecord(delta) || !Array.isArray(delta.tool_calls)) return [];
  const deltas: ToolCallDelta[] = [];
  for (const entry of delta.tool_calls as unknown[]) {
    if (!isRecord(entry) || typeof entry.index !== 'number') continue;
    const fn = isRecord(entry.function) ? entry.function : {};
    deltas.push({
      index: entry.index,
      ...(typeof entry.id === 'string' ? { id: entry.id } : {}),
      ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
      ...(typeof fn.arguments === 'string' ? { arguments: fn.arguments } : {}),
    });
  }
  return deltas;
}

/**
 * The calls so far with these deltas added: a call is known by its index; its id and name come
 * in its first delta, and its arguments arrive in pieces that are appended in order.
 */
export function accumulateToolCalls(calls: readonly ToolCall[], deltas: readonly ToolCallDelta[]): ToolCall[] {
  const next = [...calls];
  for (const delta of deltas) {
    const existing = next[delta.index] ?? { id: '', type: 'function' as const, function: { name: '', arguments: '' } };
    next[delta.index] = {
      id: existing.id === '' ? (delta.id ?? '') : existing.id,
      type: 'function',
      function: { name: existing.function.name === '' ? (delta.name ?? '') : existing.function.name, arguments: existing.function.arguments + (delta.arguments ?? '') },
    };
  }
  // An index the stream skipped would leave a hole; calls are kept dense.
  return next.filter((call) => call !== undefined);
}

/** Arguments as indented JSON when they parse, else as the model wrote them. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export interface GptToolStep {
  readonly step: number;
  readonly call_id: string;
  readonly name: string;
  readonly arguments: string;
  readonly ok: boolean;
  readonly output: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly duration_ms: number;
}

/** The tool steps a `gpt:` model ran itself, from the `modelmart` extension of a chunk or answer; none when absent. */
export function gptStepsOf(payload: unknown): GptToolStep[] {
  if (!isRecord(payload) || !isRecord(payload.modelmart) || !Array.isArray(payload.modelmart.steps)) return [];
  return (payload.modelmart.steps as unknown[]).filter((step): step is GptToolStep => isRecord(step) && typeof step.name === 'string' && typeof step.arguments === 'string' && typeof step.ok === 'boolean' && typeof step.output === 'string');
}

/** The picker's two groups: models, and the GPTs the key may call (listed by /v1/models as `gpt:<slug>`). */
export function groupModels(models: readonly { readonly id: string }[]): { readonly models: string[]; readonly gpts: string[] } {
  const ids = models.map((model) => model.id);
  return { models: ids.filter((id) => !id.startsWith('gpt:')), gpts: ids.filter((id) => id.startsWith('gpt:')) };
}
