// An in-process Modelmart server on a fresh database, for tests that call it without sockets
// (fastify.inject) or over loopback.
import { Writable } from 'node:stream';
import { ApiKeyService } from '../../src/accounts/index.js';
import { BillingService, createBillingAdministration } from '../../src/billing/index.js';
import { createRateLimiter } from '../../src/billing/rate-limits/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import { configSchema, type Config, type ConfigInput } from '../../src/config/index.js';
import { createLogger } from '../../src/core/index.js';
import { EvaluationBackgroundRunner, EvaluationService, routerGateway } from '../../src/evals/index.js';
import { createGptServices, type GptServices, type GptServicesOptions } from '../../src/gpts/index.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { ResponsesService } from '../../src/responses/index.js';
import { createRouter, RouteAdministration, type RouterSettingsInput, type UsageEvent } from '../../src/routing/index.js';
import { buildServer, evaluationMetering, GatewayMetering, knowledgeEmbeddingsMetering, type ModelmartServer } from '../../src/server/index.js';
import type { Database } from '../../src/storage/index.js';
import type { TestDatabaseTarget } from './test-databases.js';

export interface TestServer {
  readonly server: ModelmartServer;
  readonly apiKeys: ApiKeyService;
  readonly adminKey: string;
  readonly userKey: string;
  readonly config: Config;
  readonly logLines: string[];
  readonly usageEvents: UsageEvent[];
  readonly database: Database;
  readonly billing: BillingService;
  /** Every GPT service (definitions, knowledge, actions, store, runner) on this server's database. */
  readonly gpts: GptServices;
  /** The background evaluation runner behind /admin/v1/evaluations, when the options asked for it. */
  readonly evaluations: EvaluationBackgroundRunner | undefined;
  /** Listens on a free loopback port and returns the base URL (`http://127.0.0.1:<port>`). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Rate limits and budget counters in this Redis (two servers given one share them). */
  readonly redisUrl?: string;
  /** Test settings of the GPT services (DNS names, domain verification over http). */
  readonly gptServices?: Pick<GptServicesOptions, 'lookup' | 'storeOptions' | 'pollerTickMilliseconds' | 'minimumPollIntervalSeconds'>;
  /**
   * Wires /admin/v1/evaluations as the real server does (metered, through this router). Tests
   * reading small hand-written datasets pass `datasetChecksums: {}`.
   */
  readonly evaluations?: { readonly datasetChecksums?: Readonly<Record<string, string>> };
}

export async function startTestServer(target: TestDatabaseTarget, configInput: ConfigInput = {}, routerSettings: RouterSettingsInput = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const opened = await target.open();
  const config = configSchema.parse({ ...configInput, storage: opened.options });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger('info', sink);
  const apiKeys = new ApiKeyService(opened.database);
  await apiKeys.initialise();
  const admin = await apiKeys.createKey({ name: 'test admin', role: 'admin' });
  const user = await apiKeys.createKey({ name: 'test user', role: 'user' });
  const providers = createProviderRegistry(config.providers, { dataDir: opened.options.dataDir, logger });
  const usageEvents: UsageEvent[] = [];
  const router = createRouter({
    config,
    getAdapter: (providerId) => providers.get(providerId),
    settings: routerSettings,
    onUsage: (event) => {
      usageEvents.push(event);
    },
  });
  const routeAdministration = new RouteAdministration({ database: opened.database, fileRoutes: config.routes, apply: (routes) => router.replaceStoredRoutes(routes), pollMilliseconds: 50 });
  await routeAdministration.start();
  const catalog = new CatalogService(opened.database);
  await catalog.seedCuratedCards();
  const limiter = createRateLimiter({ ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }), logger });
  const billing = await BillingService.open({ database: opened.database, catalog, config: config.billing, redisUrl: options.redisUrl, serverId: `test-${Math.random().toString(36).slice(2)}`, logger });
  const metering = new GatewayMetering({ billing, limiter, limits: config.limits, logger });
  const billingAdministration = createBillingAdministration({ database: opened.database, config: config.billing, hashCode: (code) => apiKeys.hashWithInstallationSecret(code), plans: billing });
  const gpts = createGptServices({ database: opened.database, config, router, logger, catalog, admitEmbeddings: knowledgeEmbeddingsMetering(metering), ...options.gptServices });
  gpts.start();
  const evaluations =
    options.evaluations === undefined
      ? undefined
      : new EvaluationBackgroundRunner(
          new EvaluationService({ database: opened.database, gateway: routerGateway(router, evaluationMetering(metering)), catalog, logger, ...(options.evaluations.datasetChecksums === undefined ? {} : { datasetChecksums: options.evaluations.datasetChecksums }) }),
          { logger },
        );
  const server = buildServer({ config, database: opened.database, apiKeys, router, routeAdministration, responses: new ResponsesService(opened.database), logger, catalog, metering, billingAdministration, gpts, ...(evaluations === undefined ? {} : { evaluations }) });
  await server.app.ready();
  return {
    server,
    apiKeys,
    adminKey: admin.key,
    userKey: user.key,
    config,
    logLines,
    usageEvents,
    database: opened.database,
    billing,
    gpts,
    evaluations,
    async listen() {
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      return address;
    },
    async close() {
      routeAdministration.stop();
      await evaluations?.stop();
      await gpts.stop();
      await server.app.close();
      await billing.flush();
      await billing.close();
      await limiter.close();
      await providers.close();
      await opened.dispose();
    },
  };
}
