// /store/v1/gpts/{gpt}/actions: a GPT builder adds OpenAPI and MCP actions, looks at their tools,
// replaces a document or credential, removes them, and tries a tool call. Every route needs the
// right to edit the GPT (checked by the injected requireEditable); no response contains a secret.
// Changes are written to the audit log (gpt.action.create/update/delete) in the GPT's organisation.
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';
import { authWire, createActionInputSchema, testActionInputSchema, updateActionInputSchema, type GptActionService, type GptActionView } from '../../gpts/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

export interface StoreGptActionRouteOptions {
  readonly actions: GptActionService;
  /** Resolves the GPT (id or slug) the principal may edit, or throws 404/403; its organisation files the audit entries. */
  readonly requireEditable: (gptReference: string, principal: Principal) => Promise<{ readonly id: string; readonly organisation_id?: string }>;
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
/** The GPT's organisation for the audit entry; the caller's when the GPT record does not say. */
const auditOrganisation = (gpt: { readonly organisation_id?: string }) => (gpt.organisation_id === undefined ? {} : { organisationId: gpt.organisation_id });
type ActionParams = { Params: { gpt: string; action: string } };

export function registerStoreGptActionRoutes(app: FastifyInstance, options: StoreGptActionRouteOptions): void {
  const { actions, requireEditable } = options;

  app.post<GptParams>('/store/v1/gpts/:gpt/actions', async (request, reply) => {
    const principal = requirePrincipal(request);
    const gpt = await requireEditable(request.params.gpt, principal);
    const body = parseBody(createActionInputSchema, request.body);
    const created = actionWire(await actions.create(gpt.id, principal.keyId, body));
    await recordAdminChange(request, { action: 'gpt.action.create', targetType: 'gpt_action', targetId: String(created['id']), after: created, ...auditOrganisation(gpt) });
    return reply.code(201).send(created);
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
    const before = actionWire(await actions.get(gpt.id, request.params.action));
    const after = actionWire(await actions.update(gpt.id, request.params.action, body));
    await recordAdminChange(request, { action: 'gpt.action.update', targetType: 'gpt_action', targetId: request.params.action, before, after, ...auditOrganisation(gpt) });
    return after;
  });

  app.delete<ActionParams>('/store/v1/gpts/:gpt/actions/:action', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    const before = actionWire(await actions.get(gpt.id, request.params.action));
    await actions.delete(gpt.id, request.params.action);
    await recordAdminChange(request, { action: 'gpt.action.delete', targetType: 'gpt_action', targetId: request.params.action, before, ...auditOrganisation(gpt) });
    return { object: 'gpt.action.deleted', id: request.params.action, deleted: true };
  });

  app.post<ActionParams>('/store/v1/gpts/:gpt/actions/:action/test', async (request) => {
    const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
    const body = parseBody(testActionInputSchema, request.body);
    return actions.test(gpt.id, request.params.action, body, request.id);
  });
}
