// GET /v1/models: the models this server serves that the caller may use, in the OpenAI list shape.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/index.js';
import type { Router } from '../../routing/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { allowAllModels, type ModelAccessFilter } from '../middleware/model-access.js';

export function registerV1ModelRoutes(app: FastifyInstance, router: Router, mayUse: ModelAccessFilter = allowAllModels): void {
  app.get('/v1/models', async (request) => ({ object: 'list', data: await mayUse(router.listModels(), requirePrincipal(request)) }));

  // Model ids contain a slash (`<provider>/<model>`), so the id is the rest of the path.
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const id = request.params['*'];
    const listed = router.listModels().filter((candidate) => candidate.id === id);
    const [model] = await mayUse(listed, requirePrincipal(request));
    if (model === undefined) throw notFound(`The model '${id}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
    return model;
  });
}
