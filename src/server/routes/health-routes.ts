// Liveness, readiness, Prometheus metrics and the OpenAPI document: unauthenticated, for
// orchestrators, scrapers and client generators.
import type { FastifyInstance } from 'fastify';
import { serviceUnavailable } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { buildOpenApiDocument } from '../openapi-document.js';
import type { ServerMetrics } from '../server-metrics.js';

/** Where the catalogue import a server runs after it starts listening stands. */
export type CatalogueImportState = 'running' | 'done' | 'skipped' | 'failed';

export interface StartupProgress {
  catalogueImport(): CatalogueImportState;
}

export function registerHealthRoutes(app: FastifyInstance, database: Database, metrics: ServerMetrics, startup?: StartupProgress): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async () => {
    try {
      await database.ping();
    } catch (error) {
      throw serviceUnavailable(`The database is not reachable: ${(error as Error).message}`, 'database_unreachable');
    }
    const pending = await database.pendingMigrations();
    if (pending.length > 0) {
      throw serviceUnavailable(`Database migrations are pending: ${pending.join(', ')}. Run "modelmart migrate".`, 'migrations_pending');
    }
    // The server answers while the import runs (the curated cards are there); this only says so,
    // for operators and for benchmarks that must not measure a server still writing ~700 cards.
    return { status: 'ready', database: database.dialect, migrations: 'current', ...(startup === undefined ? {} : { catalogue_import: startup.catalogueImport() }) };
  });

  let openApiDocument: Record<string, unknown> | undefined;
  app.get('/openapi.json', async () => (openApiDocument ??= buildOpenApiDocument()));

  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}
