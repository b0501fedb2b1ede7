// What `eval run`, `eval worker` and `eval export` share: the database, the catalogue, and the
// gateway's router built the way the server builds it (providers, file and stored routes), so
// evaluation calls take the same path as API calls — limits, budget holds and the usage ledger
// included (metered as the "evaluations" key of the default organisation). Closed together at the end.
import { CatalogService } from '../catalog/index.js';
import { createLogger, type Logger } from '../core/index.js';
import { EvaluationService, routerGateway, type EvaluationHooks } from '../evals/index.js';
import { createProviderRegistry } from '../providers/registry.js';
import { BillingService } from '../billing/index.js';
import { createRateLimiter } from '../billing/rate-limits/index.js';
import { newId } from '../core/index.js';
import { createRouter, RouteAdministration } from '../routing/index.js';
import { evaluationMetering, GatewayMetering } from '../server/index.js';
import { openDatabase } from '../storage/index.js';
import { loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

export interface EvaluationSession {
  readonly evaluations: EvaluationService;
  readonly catalog: CatalogService;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface SessionOptions extends DatabaseOptions {
  readonly allowUnisolated?: boolean;
  readonly sandboxConcurrency?: number;
  /** Extra hooks around each upstream call (limits and billing apply through the gateway already). */
  readonly hooks?: EvaluationHooks;
}

export async function openEvaluationSession(options: SessionOptions): Promise<EvaluationSession> {
  const config = loadConfigFromOptions(options);
  // Logs go to stderr: stdout carries the results (--json)
  const logger = createLogger(config.logging.level, process.stderr);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  let providers: ReturnType<typeof createProviderRegistry> | undefined;
  let routeAdministration: RouteAdministration | undefined;
  let closeMetering: () => Promise<void> = async () => undefined;
  try {
    await database.migrateToLatest();
    const catalog = new CatalogService(database);
    await catalog.seedCuratedCards();
    const registry = createProviderRegistry(config.providers, { dataDir: config.storage.dataDir, logger });
    providers = registry;
    const router = createRouter({ config, getAdapter: (providerId) => registry.get(providerId), logger });
    routeAdministration = new RouteAdministration({ database, fileRoutes: config.routes, apply: (routes) => router.replaceStoredRoutes(routes), logger });
    await routeAdministration.start();
    let metering: GatewayMetering | undefined;
    if (config.billing.metering) {
      const limiter = createRateLimiter({ ...(config.redis.url === undefined ? {} : { redisUrl: config.redis.url }), logger });
      const billing = await BillingService.open({ database, catalog, config: config.billing, redisUrl: config.redis.url, serverId: newId('evaluation'), logger });
      closeMetering = async () => {
        await billing.close();
        await limiter.close();
      };
      metering = new GatewayMetering({ billing, limiter, limits: config.limits, logger });
    }
    const evaluations = new EvaluationService({
      database,
      gateway: routerGateway(router, metering === undefined ? undefined : evaluationMetering(metering)),
      catalog,
      logger,
      hooks: options.hooks,
      sandbox: {
        ...(options.allowUnisolated === true ? { allowUnisolated: true } : {}),
        ...(options.sandboxConcurrency === undefined ? {} : { concurrency: options.sandboxConcurrency }),
      },
    });
    const administration = routeAdministration;
    return {
      evaluations,
      catalog,
      logger,
      async close() {
        administration.stop();
        // Every settled call is written before the database closes.
        await closeMetering();
        await registry.close();
        await database.close();
      },
    };
  } catch (error) {
    routeAdministration?.stop();
    await closeMetering().catch(() => undefined);
    await providers?.close();
    await database.close();
    throw error;
  }
}
