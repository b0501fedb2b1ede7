// /store/v1/gpts/{gpt}/actions: a GPT builder adds OpenAPI and MCP actions, looks at their tools,
// replaces a document or credential, removes them, and tries a tool call. Every route needs the
// right to edit the GPT (checked by the injected requireEditable); no response contains a secret.
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';
import { authWire, createActionInputSchema, testActionInputSchema, updateActionInputSchema, type GptActionService, type GptActionView } from '../../gpts/index.js';
import { requirePrincipal } from '../middleware/authentication.js';

export interface StoreGptActionRouteOptions {
  readonly actions: GptActionService;
  /** Resolves the GPT (id or slug) the principal may edit, or throws 404/403. */
  readonly requireEditable: (gptReference: string, principal: Principal) => Promise<{ readonly id: string }>;
}

/** The API's shape of an action: snake_case, the auth without its secret, whether one is stored. */
export function actionWire(view: GptActionView): Record<string, unknown> {
  return {
    object: 'gpt.action',
    id: view.id,
    gpt_id: view.gptId,
    kind: view.kind,
    name: view.name,
    base_url: view.baseUrl,
    auth: authWire(view.auth),
    has_secret: view.hasSecret,
    tools: view.tools,
    created_at: view.createdAt,
    updated_at: view.updatedAt,
  };
}

type GptParams = { Params: { gpt: string } };
type ActionParams = { Params: { gpt: string; action: string } };

export function registerStoreGptActionRoutes(app: FastifyInstance, options: StoreGptActionRouteOptions): void {
  const { actions, requireEditable } = options;

  app.post<GptParams>('/store/v1/gpts/:gpt/actions', async (request, reply) => {
    const principal = requirePrincipal(request);
    const gpt = await requireEditable(request.params.gpt, principal);
    const body = parseBody(createActionInputSchema, request.body);
    const created = await actions.create(gpt.id, principal.keyId, body);
    return reply.code(201).send(actionWire(created));
  });

  app.get<GptParams>('/store/v1/gpts/:gpt/actions', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    return { object: 'list', data: (await actions.list(gpt.id)).map(actionWire) };
  });

  app.get<ActionParams>('/store/v1/gpts/:gpt/actions/:action', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    return actionWire(await actions.get(gpt.id, request.params.action));
  });

  app.patch<ActionParams>('/store/v1/gpts/:gpt/actions/:action', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    const body = parseBody(updateActionInputSchema, request.body);
    return actionWire(await actions.update(gpt.id, request.params.action, body));
  });

  app.delete<ActionParams>('/store/v1/gpts/:gpt/actions/:action', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    await actions.delete(gpt.id, request.params.action);
    return { object: 'gpt.action.deleted', id: request.params.action, deleted: true };
  });

  app.post<ActionParams>('/store/v1/gpts/:gpt/actions/:action/test', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    const body = parseBody(testActionInputSchema, request.body);
    return actions.test(gpt.id, request.params.action, body, request.id);
  });
}
