// Runs one call of one action's tool: checks the model's arguments against the tool's schema,
// builds the HTTP request (OpenAPI) or the tools/call (MCP), adds the credential looked up by
// action id at this moment (so a rotated secret needs no republishing), and turns every failure
// into a result the model can read and act on. Nothing the tool or its server does makes it throw.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ModelmartError, systemClock, type Clock } from '../../core/index.js';
import type { SafeHttpClient, ToolExecutionContext, ToolExecutionResult } from '../gpt-contracts.js';
import { ActionAuthoriser } from './action-authorisation.js';
import type { ActionAuth, ActionDefinition, OpenApiTool } from './gpt-action-schemas.js';
import { callMcpTool } from './mcp-tool-client.js';

/** What an execution needs to know about an action: from a published snapshot or from the table. */
export interface ExecutableAction {
  readonly actionId: string;
  readonly name: string;
  readonly auth: ActionAuth;
  readonly definition: ActionDefinition;
}

export interface ActionToolExecutorOptions {
  readonly httpClient: SafeHttpClient;
  /** The action's secret, read when the call is made. */
  readonly readSecret: (actionId: string) => Promise<string | undefined>;
  readonly authoriser?: ActionAuthoriser;
  readonly clock?: Clock;
}

/** How much of an error body goes back to the model. */
const errorExcerptCharacters = 2_000;
/** How much of an answer goes back to the model: more would crowd out the conversation (about 25,000 tokens). */
const maximumContentCharacters = 100_000;
const maximumCachedValidators = 500;

interface Failure {
  readonly code: string;
  readonly message: string;
  readonly content?: string;
}

class ToolFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

function appendQuery(url: URL, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) url.searchParams.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
  } else {
    url.searchParams.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

/** The URL, headers and body an OpenAPI operation's call sends. */
export function buildOpenApiRequest(baseUrl: string, tool: OpenApiTool, toolArguments: Record<string, unknown>): { url: URL; method: string; headers: Record<string, string>; body: string | undefined } {
  let path = tool.path;
  const headers: Record<string, string> = { accept: 'application/json' };
  const query: [string, unknown][] = [];
  for (const parameter of tool.parameters) {
    const value = toolArguments[parameter.argument];
    if (value === undefined) continue;
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    if (parameter.in === 'path') path = path.replaceAll(`{${parameter.name}}`, encodeURIComponent(text));
    else if (parameter.in === 'header') headers[parameter.name.toLowerCase()] = text;
    else query.push([parameter.name, value]);
  }
  const url = new URL(`${baseUrl}${path}`);
  for (const [name, value] of query) appendQuery(url, name, value);
  let body: string | undefined;
  if (tool.bodyArgument !== null && toolArguments[tool.bodyArgument] !== undefined) {
    body = JSON.stringify(toolArguments[tool.bodyArgument]);
    headers['content-type'] = 'application/json';
  }
  return { url, method: tool.method.toUpperCase(), headers, body };
}

export class ActionToolExecutor {
  private readonly validator = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction>();
  /** The same schema object (from a cached snapshot) skips even the serialisation of the key. */
  private readonly validatorsBySchema = new WeakMap<object, ValidateFunction>();
  private readonly authoriser: ActionAuthoriser;
  private readonly clock: Clock;

  constructor(private readonly options: ActionToolExecutorOptions) {
    this.clock = options.clock ?? systemClock;
    this.authoriser = options.authoriser ?? new ActionAuthoriser(options.httpClient, this.clock);
  }

  /** The authoriser, shared with MCP tool listing so OAuth tokens are cached once. */
  get actionAuthoriser(): ActionAuthoriser {
    return this.authoriser;
  }

  async execute(action: ExecutableAction, toolName: string, argumentsJson: string, context: ToolExecutionContext): Promise<ToolExecutionResult> {
    const started = this.clock.monotonicMilliseconds();
    const finish = (ok: boolean, content: string, error?: { code: string; message: string }): ToolExecutionResult => ({
      ok,
      content,
      ...(error === undefined ? {} : { error }),
      durationMilliseconds: Math.max(0, Math.round(this.clock.monotonicMilliseconds() - started)),
    });
    const remaining = context.deadline - this.clock.now().getTime();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.max(0, remaining));
    const signal = context.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, context.signal]);
    try {
      if (remaining <= 0) throw new ToolFailure({ code: 'tool_timeout', message: `The tool ${toolName} was not started: the deadline had passed.` });
      const toolArguments = this.checkedArguments(action, toolName, argumentsJson);
      const content = await this.call(action, toolName, toolArguments, signal, remaining);
      return finish(true, content);
    } catch (error) {
      const failure = this.describeFailure(error, toolName, deadline.signal.aborted, context.signal?.aborted === true, remaining);
      return finish(false, failure.content ?? `Error (${failure.code}): ${failure.message}`, { code: failure.code, message: failure.message });
    } finally {
      clearTimeout(timer);
    }
  }

  private describeFailure(error: unknown, toolName: string, deadlinePassed: boolean, cancelled: boolean, budget: number): Failure {
    if (error instanceof ToolFailure) return error.failure;
    if (error instanceof ModelmartError && error.code === 'outbound_timeout' && !deadlinePassed) {
      return { code: 'tool_timeout', message: `The tool ${toolName} did not answer in time: ${error.message}` };
    }
    if (deadlinePassed || isMcpTimeout(error)) {
      return { code: 'tool_timeout', message: `The tool ${toolName} did not answer within ${Math.max(0, Math.round(budget))} ms.` };
    }
    if (cancelled) return { code: 'cancelled', message: `The call of ${toolName} was cancelled.` };
    if (error instanceof ModelmartError) return { code: error.code ?? 'tool_failed', message: error.message };
    return { code: 'tool_failed', message: `The tool ${toolName} failed: ${error instanceof Error ? error.message : String(error)}` };
  }

  private schemaOf(action: ExecutableAction, toolName: string): Readonly<Record<string, unknown>> {
    const definition = action.definition;
    const schema = definition.kind === 'openapi' ? definition.tools.find((tool) => tool.name === toolName)?.argumentsSchema : definition.tools.find((tool) => tool.name === toolName)?.inputSchema;
    if (schema === undefined) throw new ToolFailure({ code: 'unknown_tool', message: `The action ${action.name} has no tool named ${JSON.stringify(toolName)}.` });
    return schema;
  }

  private checkedArguments(action: ExecutableAction, toolName: string, argumentsJson: string): Record<string, unknown> {
    const schema = this.schemaOf(action, toolName);
    let parsed: unknown;
    try {
      // Models send an empty string for a tool without parameters.
      parsed = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
    } catch (error) {
      const message = `The arguments are not valid JSON (${(error as Error).message}). Send one JSON object matching the tool's parameters.`;
      throw new ToolFailure({ code: 'invalid_arguments', message, content: JSON.stringify({ error: 'invalid_arguments', message }) });
    }
    const validate = this.validatorFor(schema);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !validate(parsed)) {
      const errors = (validate.errors ?? [{ instancePath: '', message: 'must be an object' }]).map((item) => ({ path: item.instancePath === '' ? '/' : item.instancePath, message: item.message ?? 'is invalid' }));
      const summary = errors.map((item) => `${item.path} ${item.message}`).join('; ');
      const message = `The arguments do not match the parameters of ${toolName}: ${summary}. Correct them and call the tool again.`;
      throw new ToolFailure({ code: 'invalid_arguments', message, content: JSON.stringify({ error: 'invalid_arguments', message, errors }) });
    }
    return parsed as Record<string, unknown>;
  }

  private validatorFor(schema: Readonly<Record<string, unknown>>): ValidateFunction {
    const known = this.validatorsBySchema.get(schema);
    if (known !== undefined) return known;
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (validate === undefined) {
      // Schemas name their draft (MCP servers often say draft-07) and sometimes an $id; one 2020-12
      // validator reads them all, and ids would clash between tools of different servers.
      const { $schema: _draft, $id: _id, ...withoutDraft } = schema;
      try {
        validate = this.validator.compile(withoutDraft);
      } catch (error) {
        throw new ToolFailure({ code: 'invalid_tool_schema', message: `The tool's parameter schema cannot be used: ${(error as Error).message}` });
      }
      if (this.validators.size >= maximumCachedValidators) this.validators.clear();
      this.validators.set(key, validate);
    }
    this.validatorsBySchema.set(schema, validate);
    return validate;
  }

  private async call(action: ExecutableAction, toolName: string, toolArguments: Record<string, unknown>, signal: AbortSignal, budget: number): Promise<string> {
    const secret = await this.options.readSecret(action.actionId);
    const definition = action.definition;
    if (definition.kind === 'mcp') {
      const outcome = await callMcpTool(
        { url: definition.url, httpClient: this.options.httpClient, authorise: (request) => this.authoriser.apply(action.name, action.auth, secret, request, signal), signal, timeoutMilliseconds: budget },
        toolName,
        toolArguments,
      );
      if (outcome.isError) throw new ToolFailure({ code: 'tool_error', message: `The MCP tool ${toolName} reported an error.`, content: boundedContent(outcome.content) });
      return boundedContent(outcome.content);
    }
    const tool = definition.tools.find((candidate) => candidate.name === toolName);
    if (tool === undefined) throw new ToolFailure({ code: 'unknown_tool', message: `The action ${action.name} has no tool named ${JSON.stringify(toolName)}.` });
    const request = buildOpenApiRequest(definition.baseUrl, tool, toolArguments);
    await this.authoriser.apply(action.name, action.auth, secret, request, signal);
    const response = await this.options.httpClient.fetch(request.url.toString(), {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      // The deadline aborts through the signal; gpts.outbound.timeoutMs still bounds each call.
      signal,
    });
    const text = response.body.toString('utf8');
    if (response.status < 200 || response.status >= 300) {
      if (response.status === 401) this.authoriser.forgetToken(action.auth, secret);
      const excerpt = text.length > errorExcerptCharacters ? `${text.slice(0, errorExcerptCharacters)}…` : text;
      throw new ToolFailure({ code: 'http_error', message: `${request.method} ${tool.path} answered HTTP ${response.status}.`, content: `The API answered HTTP ${response.status}: ${excerpt}` });
    }
    return boundedContent(text);
  }
}

function boundedContent(text: string): string {
  if (text.length <= maximumContentCharacters) return text;
  return `${text.slice(0, maximumContentCharacters)}\n[the answer was cut here: it has ${text.length} characters, ${maximumContentCharacters} are shown]`;
}

/** The SDK's own request timeout (JSON-RPC error -32001). */
function isMcpTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === -32001;
}
