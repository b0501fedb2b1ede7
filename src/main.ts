// The composition root: config → storage → services → server. Also owns graceful shutdown.
import type { Config } from './config/index.js';
import { ApiKeyService, CredentialVault, localOperator, OrganisationService } from './accounts/index.js';
import { BillingService, createBillingAdministration, organisationExistsVia, registerBillingMetrics } from './billing/index.js';
import { createRateLimiter } from './billing/rate-limits/index.js';
import { createLogger, newId, type Logger } from './core/index.js';
import { createProviderRegistry } from './providers/registry.js';
import { CatalogService, CatalogStartupSeed } from './catalog/index.js';
import { createGptServices } from './gpts/index.js';
import { EvaluationBackgroundRunner, EvaluationService, routerGateway } from './evals/index.js';
import { ResponsesService } from './responses/index.js';
import { createRouter, RouteAdministration } from './routing/index.js';
import { buildServer, createServerMetrics, evaluationMetering, GatewayMetering, knowledgeEmbeddingsMetering, recordUsageMetrics, type CatalogueImportState, type ModelmartServer } from './server/index.js';
import { openDatabase, type Database } from './storage/index.js';

/** Calls in flight for a run taken up again after a restart (the API's default for a new run). */
const resumedEvaluationConcurrency = 8;

export interface StartOptions {
  readonly config: Config;
  readonly logger?: Logger;
  /** Where the once-only generated admin key is shown; stdout by default. */
  readonly announce?: (text: string) => void;
}

export interface RunningModelmart {
  readonly server: ModelmartServer;
  readonly database: Database;
  readonly apiKeys: ApiKeyService;
  readonly url: string;
  readonly port: number;
  /** Settles when the first-start catalogue import (run after listening) has finished or was not needed. */
  readonly catalogImport: Promise<void>;
  /** Stops accepting, lets in-flight requests finish up to the deadline, closes the database. */
  stop(): Promise<void>;
}

function announceGeneratedKey(key: string): string {
  const line = '─'.repeat(72);
  return [
    line,
    'Modelmart generated the bootstrap admin key. It is shown only this once; store it now:',
    '',
    `  ${key}`,
    '',
    'Use it as "Authorization: Bearer <key>" for /admin/v1, or set MODELMART_ADMIN_KEY to choose your own.',
    line,
    '',
  ].join('\n');
}

export async function startModelmart(options: StartOptions): Promise<RunningModelmart> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logging.level);
  const announce = options.announce ?? ((text: string) => process.stdout.write(text));

  const database = await openDatabase({
    dataDir: config.storage.dataDir,
    databaseUrl: config.storage.databaseUrl,
    exclusive: true,
  });
  let server: ModelmartServer | undefined;
  let closeProviders: () => Promise<void> = async () => undefined;
  let stopRouteAdministration: () => void = () => undefined;
  let stopCredentials: () => void = () => undefined;
  let closeMetering: () => Promise<void> = async () => undefined;
  let stopGpts: () => Promise<void> = async () => undefined;
  try {
    const applied = await database.migrateToLatest();
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    const apiKeys = new ApiKeyService(database);
    await apiKeys.initialise();
    const bootstrap = await apiKeys.ensureBootstrapAdmin(config.auth.adminKey);
    if (bootstrap.generatedKey !== undefined) announce(announceGeneratedKey(bootstrap.generatedKey));

    const providers = createProviderRegistry(config.providers, { dataDir: config.storage.dataDir, logger });
    closeProviders = () => providers.close();
    // Stored (encrypted) provider keys override those in the file, from the first request on.
    const credentials = new CredentialVault({ database, security: config.security, providers: config.providers, apply: (providerId, apiKey) => providers.overrideApiKey(providerId, apiKey), logger });
    await credentials.start();
    stopCredentials = () => credentials.stop();
    const metrics = createServerMetrics();
    const router = createRouter({
      config,
      getAdapter: (providerId) => providers.get(providerId),
      onUsage: (event) => {
        recordUsageMetrics(metrics, event);
        logger.info({ usage: event }, 'model usage');
      },
      logger,
    });

    const routeAdministration = new RouteAdministration({
      database,
      fileRoutes: config.routes,
      apply: (routes) => router.replaceStoredRoutes(routes),
      logger,
    });
    await routeAdministration.start();
    stopRouteAdministration = () => routeAdministration.stop();
    const catalog = new CatalogService(database, undefined, logger);
    const seed = new CatalogStartupSeed(database, catalog);
    const seeded = await catalog.seedCuratedCards();
    if (seeded > 0) logger.info({ models: seeded }, 'catalogue seeded with curated model cards');
    // Limits and money: rate limits in process (or shared through Redis), reservations and the
    // ledger in the database; reservations a crashed server left are recovered here.
    const limiter = createRateLimiter({ ...(config.redis.url === undefined ? {} : { redisUrl: config.redis.url }), logger });
    const billing = await BillingService.open({ database, catalog, config: config.billing, redisUrl: config.redis.url, serverId: newId('server'), logger }).catch(async (error: unknown) => {
      await limiter.close();
      throw error;
    });
    billing.useMetrics(registerBillingMetrics(metrics.registry));
    closeMetering = async () => {
      await billing.flush();
      await billing.close();
      await limiter.close();
    };
    const metering = config.billing.metering ? new GatewayMetering({ billing, limiter, limits: config.limits, logger }) : undefined;
    if (metering === undefined) logger.warn('billing.metering is false: no rate limits, budgets or usage ledger');
    // Runs started through /admin/v1/evaluations call models through this same router, in the
    // background, and through the same limits and ledger (as the "evaluations" key of the default organisation).
    const evaluations = new EvaluationBackgroundRunner(new EvaluationService({ database, gateway: routerGateway(router, metering === undefined ? undefined : evaluationMetering(metering)), catalog, logger }), { logger });

    // GPTs run on this router and ledger; their live knowledge sources poll in the background.
    const gpts = createGptServices({ database, config, router, logger, catalog, admitEmbeddings: metering === undefined ? undefined : knowledgeEmbeddingsMetering(metering) });
    gpts.start();
    stopGpts = () => gpts.stop();

    // Set when the catalogue import below ends; /readyz reports it.
    let catalogueImportState: CatalogueImportState = 'running';
    server = buildServer({
      config,
      database,
      apiKeys,
      router,
      routeAdministration,
      responses: new ResponsesService(database, undefined, { logger }),
      logger,
      metrics,
      catalog,
      credentials,
      evaluations,
      // Credits, redemption codes (hashed with the API keys' secret), budgets, plans, reports, statements.
      billingAdministration: createBillingAdministration({
        database,
        config: config.billing,
        hashCode: (code) => apiKeys.hashWithInstallationSecret(code),
        plans: billing,
        organisationExists: organisationExistsVia((id) => new OrganisationService(database, apiKeys).getOrganisation(id, localOperator)),
      }),
      ...(metering === undefined ? {} : { metering }),
      gpts,
      startup: { catalogueImport: () => catalogueImportState },
    });
    const { app } = server;
    await app.listen({ host: config.server.host, port: config.server.port }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new Error(`port ${config.server.port} on ${config.server.host} is already in use; choose another with --port`);
      if (error.code === 'EACCES') throw new Error(`not allowed to listen on port ${config.server.port}; choose a port above 1023 with --port`);
      throw error;
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
    const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, database: database.location, dialect: database.dialect }, 'modelmart listening');
    // The first import writes about 700 cards (over a second on PostgreSQL), so it runs once the
    // server listens; the curated cards are there from the start, the imported ones moments later.
    const importStarted = performance.now();
    const catalogImport = seed.importTokenlensOnce().then(
      (imported) => {
        catalogueImportState = imported === undefined ? 'skipped' : 'done';
        if (imported !== undefined) logger.info({ source: imported.source, created: imported.created, milliseconds: Math.round(performance.now() - importStarted) }, 'catalogue imported');
      },
      (error: unknown) => {
        catalogueImportState = 'failed';
        logger.error({ err: error }, 'catalogue import failed; the next start tries again');
      },
    );

    // Background evaluation runs a stopped server left unfinished go on here (a deploy does not strand them).
    evaluations.resumeUnfinished(resumedEvaluationConcurrency).then(
      (runIds) => {
        if (runIds.length > 0) logger.info({ runs: runIds }, 'evaluation runs taken up again');
      },
      (error: unknown) => logger.error({ err: error }, 'taking up unfinished evaluation runs failed'),
    );

    const running = server;
    let stopping: Promise<void> | undefined;
    return {
      server: running,
      database,
      apiKeys,
      url,
      port,
      catalogImport,
      stop() {
        stopping ??= (async () => {
          running.beginDraining();
          const deadline = setTimeout(() => {
            logger.warn({ deadlineMs: config.server.shutdownTimeoutMs }, 'shutdown deadline reached; closing remaining connections');
            running.app.server.closeAllConnections();
          }, config.server.shutdownTimeoutMs);
          deadline.unref();
          try {
            await running.app.close();
          } finally {
            clearTimeout(deadline);
            // The import writes to the database; let it finish rather than close the database under it.
            await catalogImport;
            // Evaluation work stops and hands its claims back; the runs resume later.
            await evaluations.stop();
            // Live knowledge sources stop polling before the database closes.
            await stopGpts();
            // Every settled request is written before the database closes.
            await closeMetering();
            stopRouteAdministration();
            stopCredentials();
            await closeProviders();
            await database.close();
          }
          logger.info('modelmart stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    if (server !== undefined) await server.app.close().catch(() => undefined);
    await stopGpts().catch(() => undefined);
    stopRouteAdministration();
    stopCredentials();
    await closeMetering().catch(() => undefined);
    await closeProviders().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}
