// The shapes of GPT actions: how their auth is configured (never with the secret), what an
// imported OpenAPI operation or listed MCP tool keeps, what is stored in gpt_actions, and the
// snapshot a published version carries. One zod schema per shape; stored JSON is read back
// through these so a row written by an older build fails loudly instead of half-working.
import { z } from 'zod';

/** Tool names as OpenAI function tools accept them. */
export const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'must be an HTTP header name');

/** How an action authenticates, without its secret (that lives sealed in gpt_action_secrets). */
export const actionAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('api_key'), in: z.enum(['header', 'query']), name: z.string().min(1).max(128) }),
  z.strictObject({ type: z.literal('bearer') }),
  z.strictObject({
    type: z.literal('oauth2_client_credentials'),
    tokenUrl: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1),
    scopes: z.array(z.string().min(1)).default([]),
  }),
]);
export type ActionAuth = z.infer<typeof actionAuthSchema>;

/** The auth as a builder sends it (wire names, snake_case), plus the secret for every type but none. */
export const actionAuthInputSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({ type: z.literal('api_key'), in: z.enum(['header', 'query']), name: z.string().min(1).max(128), secret: z.string().min(1).optional() }),
    z.strictObject({ type: z.literal('bearer'), secret: z.string().min(1).optional() }),
    z.strictObject({
      type: z.literal('oauth2_client_credentials'),
      token_url: z.url({ protocol: /^https?$/ }),
      client_id: z.string().min(1),
      scopes: z.array(z.string().min(1)).default([]),
      secret: z.string().min(1).optional(),
    }),
  ])
  .superRefine((auth, context) => {
    if (auth.type === 'api_key' && auth.in === 'header' && !headerNameSchema.safeParse(auth.name).success) {
      context.addIssue({ code: 'custom', path: ['name'], message: `${JSON.stringify(auth.name)} is not an HTTP header name` });
    }
  });
export type ActionAuthInput = z.infer<typeof actionAuthInputSchema>;

export function authWithoutSecret(input: ActionAuthInput): ActionAuth {
  if (input.type === 'none' || input.type === 'bearer') return { type: input.type };
  if (input.type === 'api_key') return { type: 'api_key', in: input.in, name: input.name };
  return { type: input.type, tokenUrl: input.token_url, clientId: input.client_id, scopes: input.scopes };
}

/** The stored auth as the API shows it, in wire names. */
export function authWire(auth: ActionAuth): Record<string, unknown> {
  if (auth.type === 'oauth2_client_credentials') return { type: auth.type, token_url: auth.tokenUrl, client_id: auth.clientId, scopes: auth.scopes };
  return { ...auth };
}

export function authSecret(input: ActionAuthInput): string | undefined {
  return input.type === 'none' ? undefined : input.secret;
}

const jsonSchemaObject = z.record(z.string(), z.unknown());

/** One OpenAPI operation turned into a tool: how to build its request from the arguments. */
export const openApiToolSchema = z.strictObject({
  name: z.string().regex(toolNamePattern),
  description: z.string(),
  method: z.enum(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']),
  path: z.string().startsWith('/'),
  /** `argument` is the parameter's property in the arguments object: its name, or `<in>_<name>` where two share a name. */
  parameters: z.array(z.strictObject({ name: z.string(), in: z.enum(['path', 'query', 'header']), required: z.boolean(), argument: z.string() })),
  /** The argument that holds the JSON request body (`body`, or `requestBody` where a parameter is named body); null without one. */
  bodyArgument: z.string().nullable(),
  /** JSON Schema of the arguments object. */
  argumentsSchema: jsonSchemaObject,
});
export type OpenApiTool = z.infer<typeof openApiToolSchema>;

export const mcpToolSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  inputSchema: jsonSchemaObject,
});
export type McpTool = z.infer<typeof mcpToolSchema>;

/** gpt_actions.definition */
export const actionDefinitionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('openapi'),
    title: z.string(),
    baseUrl: z.url({ protocol: /^https?$/ }),
    /** The imported document as parsed (before $ref resolution); left out of published snapshots. */
    document: z.record(z.string(), z.unknown()).optional(),
    tools: z.array(openApiToolSchema),
  }),
  z.strictObject({
    kind: z.literal('mcp'),
    url: z.url({ protocol: /^https?$/ }),
    serverName: z.string().nullable(),
    tools: z.array(mcpToolSchema),
  }),
]);
export type ActionDefinition = z.infer<typeof actionDefinitionSchema>;

/** An action as the API shows it: never a secret, only whether one is stored. */
export interface GptActionView {
  readonly id: string;
  readonly gptId: string;
  readonly kind: 'openapi' | 'mcp';
  readonly name: string;
  readonly baseUrl: string;
  readonly auth: ActionAuth;
  readonly hasSecret: boolean;
  readonly tools: readonly { readonly name: string; readonly description: string; readonly parameters: Readonly<Record<string, unknown>> }[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a published version keeps: enough to offer and call the tools without reading gpt_actions. */
export const actionsSnapshotSchema = z.strictObject({
  version: z.literal(1),
  actions: z.array(
    z.strictObject({
      actionId: z.string(),
      name: z.string(),
      auth: actionAuthSchema,
      definition: actionDefinitionSchema,
      /** Tool name offered to the model (unique across the GPT) → the tool's name inside its action. */
      toolNames: z.record(z.string(), z.string()),
    }),
  ),
});
export type ActionsSnapshot = z.infer<typeof actionsSnapshotSchema>;
