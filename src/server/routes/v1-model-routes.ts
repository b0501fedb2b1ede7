// GET /v1/models: the models this server serves, in the OpenAI list shape.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/index.js';

export interface ListedModel {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}

export function listConfiguredModels(config: Config, created: number): ListedModel[] {
  const models: ListedModel[] = [];
  for (const provider of config.providers) {
    for (const model of provider.models) {
      const name = typeof model === 'string' ? model : model.name;
      models.push({ id: `${provider.id}/${name}`, object: 'model', created, owned_by: provider.id });
    }
  }
  for (const route of config.routes) models.push({ id: route.model, object: 'model', created, owned_by: 'modelmart' });
  return models;
}

export function registerV1ModelRoutes(app: FastifyInstance, config: Config): void {
  const models = listConfiguredModels(config, Math.floor(Date.now() / 1000));
  app.get('/v1/models', async () => ({ object: 'list', data: models }));
}
