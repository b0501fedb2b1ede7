// The GptToolbox of the GPT runner: a published version's actions as a self-contained snapshot
// (tools, base URLs, auth type — never a secret), the tools that snapshot offers, and calls of
// them. Tool names are made unique across the GPT's actions when the snapshot is taken, so the
// model sees one flat list and the runner needs nothing else to route a call.
import type { Config } from '../../config/index.js';
import type { Clock } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import type { GptTool, GptToolbox, SafeHttpClient, ToolExecutionContext, ToolExecutionResult } from '../gpt-contracts.js';
import { ActionToolExecutor } from './action-tool-executor.js';
import { actionsSnapshotSchema, type ActionsSnapshot } from './gpt-action-schemas.js';
import { GptActionStore } from './gpt-action-store.js';
import { uniqueToolName } from './openapi-tools.js';

export interface GptActionToolboxOptions {
  readonly database: Database;
  readonly config: Pick<Config, 'security'>;
  readonly httpClient: SafeHttpClient;
  /** Share one store (and its keys) with the action service; made from database and config otherwise. */
  readonly store?: GptActionStore;
  /** Share one executor (and its OAuth token cache) with the action service. */
  readonly executor?: ActionToolExecutor;
  readonly clock?: Clock;
}

const emptySnapshot: ActionsSnapshot = { version: 1, actions: [] };

function offeredName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
  return cleaned === '' ? 'tool' : cleaned;
}

export class GptActionToolbox implements GptToolbox {
  readonly store: GptActionStore;
  readonly executor: ActionToolExecutor;
  private readonly parsed = new WeakMap<object, ActionsSnapshot>();

  constructor(options: GptActionToolboxOptions) {
    this.store = options.store ?? new GptActionStore({ database: options.database, security: options.config.security, ...(options.clock === undefined ? {} : { clock: options.clock }) });
    this.executor =
      options.executor ??
      new ActionToolExecutor({ httpClient: options.httpClient, readSecret: (actionId) => this.store.readSecret(actionId), ...(options.clock === undefined ? {} : { clock: options.clock }) });
  }

  async snapshot(gptId: string): Promise<ActionsSnapshot> {
    const records = await this.store.list(gptId);
    const taken = new Set<string>();
    return {
      version: 1,
      actions: records.map((record) => {
        const toolNames: Record<string, string> = {};
        for (const tool of record.definition.tools) {
          const name = uniqueToolName(offeredName(tool.name), taken);
          taken.add(name);
          toolNames[name] = tool.name;
        }
        const definition = record.definition.kind === 'openapi' ? { kind: record.definition.kind, title: record.definition.title, baseUrl: record.definition.baseUrl, tools: record.definition.tools } : record.definition;
        return { actionId: record.id, name: record.name, auth: record.auth, definition, toolNames };
      }),
    };
  }

  async toolsOf(actionsSnapshot: unknown): Promise<readonly GptTool[]> {
    const snapshot = this.read(actionsSnapshot);
    const tools: GptTool[] = [];
    for (const action of snapshot.actions) {
      for (const [offered, inner] of Object.entries(action.toolNames)) {
        const definition = action.definition;
        const tool = definition.kind === 'openapi' ? definition.tools.find((candidate) => candidate.name === inner) : definition.tools.find((candidate) => candidate.name === inner);
        if (tool === undefined) continue;
        const parameters = 'argumentsSchema' in tool ? tool.argumentsSchema : tool.inputSchema;
        tools.push({ name: offered, description: tool.description, parameters });
      }
    }
    return tools;
  }

  async execute(actionsSnapshot: unknown, toolName: string, argumentsJson: string, context: ToolExecutionContext): Promise<ToolExecutionResult> {
    const snapshot = this.read(actionsSnapshot);
    const action = snapshot.actions.find((candidate) => Object.hasOwn(candidate.toolNames, toolName));
    const inner = action?.toolNames[toolName];
    if (action === undefined || inner === undefined) {
      const known = snapshot.actions.flatMap((candidate) => Object.keys(candidate.toolNames));
      const message = `There is no tool named ${JSON.stringify(toolName)}; the tools are: ${known.join(', ') || 'none'}.`;
      return { ok: false, content: `Error (unknown_tool): ${message}`, error: { code: 'unknown_tool', message }, durationMilliseconds: 0 };
    }
    return this.executor.execute({ actionId: action.actionId, name: action.name, auth: action.auth, definition: action.definition }, inner, argumentsJson, context);
  }

  /** A version published before it had actions may carry null; anything else must be a snapshot. */
  private read(actionsSnapshot: unknown): ActionsSnapshot {
    if (actionsSnapshot === null || actionsSnapshot === undefined) return emptySnapshot;
    if (typeof actionsSnapshot === 'object') {
      const cached = this.parsed.get(actionsSnapshot);
      if (cached !== undefined) return cached;
    }
    const snapshot = actionsSnapshotSchema.parse(actionsSnapshot);
    if (typeof actionsSnapshot === 'object') this.parsed.set(actionsSnapshot, snapshot);
    return snapshot;
  }
}
