// GET /v1/models: the models this server serves, in the OpenAI list shape.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/index.js';
import type { Router } from '../../routing/index.js';

export function registerV1ModelRoutes(app: FastifyInstance, router: Router): void {
  app.get('/v1/models', async () => ({ object: 'list', data: router.listModels() }));

  // Model ids contain a slash (`<provider>/<model>`), so the id is the rest of the path.
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const id = request.params['*'];
    const model = router.listModels().find((listed) => listed.id === id);
    if (model === undefined) throw notFound(`The model '${id}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
    return model;
  });
}
