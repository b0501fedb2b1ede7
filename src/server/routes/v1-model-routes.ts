// GET /v1/models: the models this server serves that the caller may use, in the OpenAI list shape.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/index.js';
import type { Principal } from '../../accounts/index.js';
import type { ListedModel, Router } from '../../routing/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { allowAllModels, type ModelAccessFilter } from '../middleware/model-access.js';

/** The published GPTs a key may call, as `gpt:<slug>` list entries. */
export type GptModelLister = (principal: Principal) => Promise<readonly ListedModel[]>;

export function registerV1ModelRoutes(app: FastifyInstance, router: Router, mayUse: ModelAccessFilter = allowAllModels, listGpts?: GptModelLister): void {
  app.get('/v1/models', async (request) => {
    const principal = requirePrincipal(request);
    const [models, gpts] = await Promise.all([mayUse(router.listModels(), principal), listGpts === undefined ? [] : listGpts(principal)]);
    return { object: 'list', data: [...models, ...gpts] };
  });

  // Model ids contain a slash (`<provider>/<model>`), so the id is the rest of the path.
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const id = request.params['*'];
    const principal = requirePrincipal(request);
    const listed = router.listModels().filter((candidate) => candidate.id === id);
    const gpts = id.startsWith('gpt:') && listGpts !== undefined ? (await listGpts(principal)).filter((candidate) => candidate.id === id) : [];
    const [model] = gpts.length > 0 ? gpts : await mayUse(listed, principal);
    if (model === undefined) throw notFound(`The model '${id}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
    return model;
  });
}
