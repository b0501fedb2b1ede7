// What a GPT's builder does with actions: add one from an OpenAPI document or an MCP server
// (whose tools are listed at once), look at them, replace the document or credential, remove
// them, and try one tool call. Secrets go in and are never shown again; views say only whether
// one is stored. Permission to edit the GPT is checked by the caller (the routes).
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { ModelmartError, notFound, systemClock, type Clock } from '../../core/index.js';
import type { SafeHttpClient, ToolExecutionResult } from '../gpt-contracts.js';
import type { ActionToolExecutor } from './action-tool-executor.js';
import { actionAuthInputSchema, authSecret, authWithoutSecret, type ActionAuth, type ActionDefinition, type GptActionView } from './gpt-action-schemas.js';
import type { GptActionRecord, GptActionStore } from './gpt-action-store.js';
import { listMcpTools } from './mcp-tool-client.js';
import { importOpenApi } from './openapi-tools.js';

const httpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' });
const nameSchema = z.string().trim().min(1).max(200);

export const createActionInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('openapi'),
    name: nameSchema.optional(),
    /** The document as JSON or YAML text, or as a JSON object. */
    document: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    /** Needed only when the document's servers[0].url is relative or missing. */
    base_url: httpUrlSchema.optional(),
    auth: actionAuthInputSchema.default({ type: 'none' }),
  }),
  z.strictObject({ kind: z.literal('mcp'), name: nameSchema.optional(), url: httpUrlSchema, auth: actionAuthInputSchema.default({ type: 'none' }) }),
]);
export type CreateActionInput = z.input<typeof createActionInputSchema>;

export const updateActionInputSchema = z.strictObject({
  name: nameSchema.optional(),
  document: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  base_url: httpUrlSchema.optional(),
  url: httpUrlSchema.optional(),
  /** Replaces the auth; a secret inside it replaces the stored one, its absence keeps it (type none removes it). */
  auth: actionAuthInputSchema.optional(),
  /** Replaces the stored secret alone; null removes it. */
  secret: z.string().min(1).nullable().optional(),
});
export type UpdateActionInput = z.input<typeof updateActionInputSchema>;

export const testActionInputSchema = z.strictObject({
  tool: z.string().min(1),
  /** JSON text as a model sends it, or an object. */
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).default({}),
});
export type TestActionInput = z.input<typeof testActionInputSchema>;

export interface GptActionServiceOptions {
  readonly store: GptActionStore;
  readonly executor: ActionToolExecutor;
  readonly httpClient: SafeHttpClient;
  readonly config: Pick<Config, 'gpts'>;
  readonly clock?: Clock;
}

export function actionView(record: GptActionRecord): GptActionView {
  const definition = record.definition;
  return {
    id: record.id,
    gptId: record.gptId,
    kind: record.kind,
    name: record.name,
    baseUrl: definition.kind === 'openapi' ? definition.baseUrl : definition.url,
    auth: record.auth,
    hasSecret: record.hasSecret,
    tools: definition.kind === 'openapi' ? definition.tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.argumentsSchema })) : definition.tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.inputSchema })),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function actionNotFound(actionId: string): ModelmartError {
  return notFound(`No action with id ${JSON.stringify(actionId)} in this GPT.`, 'action_not_found', 'action');
}

export class GptActionService {
  private readonly clock: Clock;

  constructor(private readonly options: GptActionServiceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async create(gptId: string, createdByKeyId: string, input: CreateActionInput): Promise<GptActionView> {
    const parsed = createActionInputSchema.parse(input);
    const secret = authSecret(parsed.auth);
    if (secret !== undefined) this.options.store.requireEncryptionKey();
    const auth = authWithoutSecret(parsed.auth);
    const definition = parsed.kind === 'openapi' ? this.importDocument(parsed.document, parsed.base_url) : await this.listServerTools(parsed.url, auth, secret, parsed.name ?? parsed.url);
    const name = parsed.name ?? (definition.kind === 'openapi' ? definition.title : (definition.serverName ?? new URL(definition.url).host));
    const record = await this.options.store.insert({ gptId, kind: parsed.kind, name, definition, auth, createdByKeyId }, secret);
    return actionView(record);
  }

  async list(gptId: string): Promise<readonly GptActionView[]> {
    return (await this.options.store.list(gptId)).map(actionView);
  }

  async get(gptId: string, actionId: string): Promise<GptActionView> {
    return actionView(await this.record(gptId, actionId));
  }

  async update(gptId: string, actionId: string, input: UpdateActionInput): Promise<GptActionView> {
    const change = updateActionInputSchema.parse(input);
    const current = await this.record(gptId, actionId);
    const auth = change.auth === undefined ? current.auth : authWithoutSecret(change.auth);
    let secret: string | null | undefined = change.secret;
    if (change.auth !== undefined && authSecret(change.auth) !== undefined) secret = authSecret(change.auth);
    if (auth.type === 'none') secret = current.hasSecret ? null : undefined;
    if (typeof secret === 'string') this.options.store.requireEncryptionKey();
    let definition: ActionDefinition | undefined;
    if (current.definition.kind === 'openapi') {
      if (change.url !== undefined) throw new ModelmartError(400, 'url belongs to MCP actions; an OpenAPI action takes document and base_url.', { param: 'url', code: 'invalid_request' });
      if (change.document !== undefined) definition = this.importDocument(change.document, change.base_url);
      else if (change.base_url !== undefined) definition = this.importDocument(current.definition.document ?? {}, change.base_url);
    } else {
      if (change.document !== undefined || change.base_url !== undefined) throw new ModelmartError(400, 'document and base_url belong to OpenAPI actions; an MCP action takes url.', { param: 'document', code: 'invalid_request' });
      if (change.url !== undefined || change.auth !== undefined || typeof secret === 'string') {
        const usedSecret = typeof secret === 'string' ? secret : secret === null ? undefined : await this.options.store.readSecret(actionId);
        definition = await this.listServerTools(change.url ?? current.definition.url, auth, usedSecret, current.name);
      }
    }
    const updated = await this.options.store.update(gptId, actionId, {
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(definition === undefined ? {} : { definition }),
      ...(change.auth === undefined ? {} : { auth }),
      ...(secret === undefined ? {} : { secret }),
    });
    if (updated === undefined) throw actionNotFound(actionId);
    return actionView(updated);
  }

  async delete(gptId: string, actionId: string): Promise<void> {
    if (!(await this.options.store.delete(gptId, actionId))) throw actionNotFound(actionId);
  }

  /** The builder's test call: one call of one tool of the action as it is now. */
  async test(gptId: string, actionId: string, input: TestActionInput, requestId: string): Promise<ToolExecutionResult> {
    const parsed = testActionInputSchema.parse(input);
    const record = await this.record(gptId, actionId);
    const argumentsJson = typeof parsed.arguments === 'string' ? parsed.arguments : JSON.stringify(parsed.arguments);
    const deadline = this.clock.now().getTime() + this.options.config.gpts.outbound.timeoutMs;
    return this.options.executor.execute({ actionId: record.id, name: record.name, auth: record.auth, definition: record.definition }, parsed.tool, argumentsJson, { requestId, deadline });
  }

  private async record(gptId: string, actionId: string): Promise<GptActionRecord> {
    const record = await this.options.store.get(gptId, actionId);
    if (record === undefined) throw actionNotFound(actionId);
    return record;
  }

  private importDocument(document: unknown, baseUrl: string | undefined): ActionDefinition {
    const imported = importOpenApi(document, baseUrl === undefined ? {} : { baseUrl });
    return { kind: 'openapi', title: imported.title, baseUrl: imported.baseUrl, document: imported.document, tools: [...imported.tools] };
  }

  private async listServerTools(url: string, auth: ActionAuth, secret: string | undefined, actionName: string): Promise<ActionDefinition> {
    const authoriser = this.options.executor.actionAuthoriser;
    try {
      const listed = await listMcpTools({
        url,
        httpClient: this.options.httpClient,
        authorise: (request) => authoriser.apply(actionName, auth, secret, request),
        timeoutMilliseconds: this.options.config.gpts.outbound.timeoutMs,
      });
      return { kind: 'mcp', url, serverName: listed.serverName, tools: [...listed.tools] };
    } catch (error) {
      if (error instanceof ModelmartError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ModelmartError(502, `The MCP server at ${url} could not list its tools: ${reason}`, { code: 'mcp_server_failed', type: 'upstream_error', param: 'url' });
    }
  }
}

