// The HTTP application: request ids, metrics, structured request logs, authentication scopes,
// routes, and the single error handler. Thin by design: routes parse, call a service, format.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AuditLog, OrganisationService, type ApiKeyService, type CredentialVault } from '../accounts/index.js';
import { WebSessionService } from '../accounts/web-session-service.js';
import type { CatalogService } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import { acceptRequestId, newRequestId, serviceUnavailable, type Logger } from '../core/index.js';
import type { ResponsesService } from '../responses/index.js';
import type { RouteAdministration, Router } from '../routing/index.js';
import type { Database } from '../storage/index.js';
import type { BillingAdministration } from '../billing/index.js';
import type { EvaluationBackgroundRunner } from '../evals/index.js';
import { installErrorHandling } from './error-handler.js';
import { createAuthenticationHook } from './middleware/authentication.js';
import { createLicensePolicyHook } from './middleware/license-policy.js';
import type { GatewayMetering } from './middleware/gateway-metering.js';
import { createModelAccessFilter } from './middleware/model-access.js';
import { decorateAuditLog } from './routes/admin-audit-recording.js';
import { registerAdminAuditRoutes } from './routes/admin-audit-routes.js';
import { registerAdminBillingRoutes, registerCreditRedeemRoute } from './routes/admin-billing-routes.js';
import { registerAdminUsageRoutes } from './routes/admin-usage-routes.js';
import { registerAuthSessionRoutes } from './routes/auth-session-routes.js';
import { registerAdminCredentialRoutes } from './routes/admin-credential-routes.js';
import { registerAdminKeyRoutes } from './routes/admin-key-routes.js';
import { registerAdminModelRoutes } from './routes/admin-model-routes.js';
import { registerAdminEvaluationRoutes } from './routes/admin-evaluation-routes.js';
import { registerAdminOrganisationRoutes } from './routes/admin-organisation-routes.js';
import { registerAdminProviderRoutes } from './routes/admin-provider-routes.js';
import { registerAdminRouteRoutes } from './routes/admin-route-routes.js';
import { registerHealthRoutes, type StartupProgress } from './routes/health-routes.js';
import { registerStoreLeaderboardRoutes } from './routes/store-leaderboard-routes.js';
import { registerStoreModelRoutes } from './routes/store-model-routes.js';
import { registerV1ChatRoutes } from './routes/v1-chat-routes.js';
import { registerV1EmbeddingsRoutes } from './routes/v1-embeddings-routes.js';
import { registerV1ResponsesRoutes } from './routes/v1-responses-routes.js';
import { registerV1ModelRoutes } from './routes/v1-model-routes.js';
import type { GptServices } from '../gpts/index.js';
import { gptModelLister, registerGptRoutes, type GptRouteScopes } from './routes/gpt-route-registration.js';
import type { GptRunRoutes } from './routes/v1-gpt-run-handlers.js';
import { registerWebAppRoutes } from './routes/web-app-routes.js';
import { createServerMetrics, recordRequestMetrics, type ServerMetrics } from './server-metrics.js';

export interface ServerDependencies {
  readonly config: Config;
  readonly database: Database;
  readonly apiKeys: ApiKeyService;
  /** Organisations, projects and members behind /admin/v1/organisations; made here from the database when not given. */
  readonly organisations?: OrganisationService;
  readonly router: Router;
  readonly routeAdministration: RouteAdministration;
  readonly responses: ResponsesService;
  readonly logger: Logger;
  /** The catalogue behind /store/v1 and /admin/v1/models; those routes exist only when it is given. */
  readonly catalog?: CatalogService;
  /** Evaluation runs behind /admin/v1/evaluations; those routes exist only when it is given. */
  readonly evaluations?: EvaluationBackgroundRunner;
  /** Where admin changes are recorded; one on the same database is made when not given. */
  readonly auditLog?: AuditLog;
  /** Encrypted provider credentials behind /admin/v1/providers/{id}/credential; those routes exist only when it is given. */
  readonly credentials?: CredentialVault;
  /** Created by the caller when usage events must reach the same registry; else here. */
  readonly metrics?: ServerMetrics;
  /** Credits, redemption codes, budgets, usage reports and statements; those routes exist only when it is given. */
  readonly billingAdministration?: BillingAdministration;
  /** Model scopes, rate limits and budget reservations for every model call; without it only scopes are checked. */
  readonly metering?: GatewayMetering;
  /** GPTs: `model: "gpt:<slug>"` on the v1 routes and the /store/v1/gpts and /admin/v1/gpts routes exist only when given. */
  readonly gpts?: GptServices;
  /** Work a starting server does after it listens (the catalogue import), reported by /readyz. */
  readonly startup?: StartupProgress;
}

export interface ModelmartServer {
  readonly app: FastifyInstance;
  readonly metrics: ServerMetrics;
  /** Marks the server as draining: new requests get 503 while in-flight ones finish. */
  beginDraining(): void;
}

export function buildServer(dependencies: ServerDependencies): ModelmartServer {
  const { config, database, apiKeys, router, routeAdministration, responses, logger } = dependencies;
  const metrics = dependencies.metrics ?? createServerMetrics();
  let draining = false;

  const fastifyLogger: FastifyBaseLogger = logger;
  const app: FastifyInstance = Fastify({
    loggerInstance: fastifyLogger,
    // One log line per request is written by the onResponse hook below, with the request id.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: config.server.bodyLimit,
    trustProxy: config.server.trustProxy,
    requestIdHeader: false,
    genReqId: (request) => acceptRequestId(request.headers['x-request-id']) ?? newRequestId(),
    // Draining is answered by our own hook, in the OpenAI error shape.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });

  installErrorHandling(app, config.server.bodyLimit);
  const auditLog = dependencies.auditLog ?? new AuditLog(database);
  decorateAuditLog(app, auditLog);
  // The API speaks JSON only; any other body type is answered with 415 rather than misread.
  app.removeContentTypeParser('text/plain');
  // Clients often send `Content-Type: application/json` with no body on action endpoints
  // (publish, cancel): an empty body is no body; a route that needs one says so by name.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') done(null, undefined);
    else parseJson(request, text, done);
  });

  // The three hooks below run on every request: callback style, so none allocates a promise.
  app.addHook('onRequest', (request, reply, done) => {
    metrics.inFlight.inc();
    reply.header('x-request-id', request.id);
    if (!draining) return done();
    reply.header('connection', 'close');
    done(serviceUnavailable('The server is shutting down; retry on another replica.', 'server_shutting_down'));
  });

  // While draining, every response closes its connection so keep-alive sockets do not hold shutdown open.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    metrics.inFlight.dec();
    const route = request.routeOptions.url ?? 'unmatched';
    const milliseconds = reply.elapsedTime;
    recordRequestMetrics(metrics, request.method, route, reply.statusCode, milliseconds / 1000);
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, durationMs: Math.round(milliseconds * 10) / 10 }, 'request completed');
    done();
  });

  registerHealthRoutes(app, database, metrics, dependencies.startup);
  registerWebAppRoutes(app);
  // The web app's sign-in: a session cookie that stands for an API key on every authenticated scope below.
  const sessions = new WebSessionService(database, apiKeys, { idleMilliseconds: config.auth.sessionIdleMinutes * 60_000, lifetimeMilliseconds: config.auth.sessionLifetimeHours * 3_600_000 });
  registerAuthSessionRoutes(app, { apiKeys, sessions });
  const { catalog } = dependencies;
  // The store is public unless configured private: it shows what the catalogue holds, not what a key may call.
  if (catalog !== undefined && !config.store.private) registerStoreModelRoutes(app, catalog);
  if (catalog !== undefined && !config.store.private) registerStoreLeaderboardRoutes(app, catalog);

  const { gpts } = dependencies;
  const gptRuns: GptRunRoutes | undefined =
    gpts === undefined ? undefined : { runner: gpts.runner, maxSteps: config.gpts.runner.maxSteps, metering: dependencies.metering, catalog, licenceProfile: config.licensePolicy.organisation };
  const gptScopes: GptRouteScopes | undefined = gpts === undefined ? undefined : { gpts, apiKeys, storePrivate: config.store.private, maxKnowledgeFileBytes: config.gpts.knowledge.maxFileBytes, sessions };
  if (gptScopes !== undefined) registerGptRoutes(app, gptScopes, 'public');

  void app.register(async (scope) => {
    scope.addHook('onRequest', createAuthenticationHook(apiKeys, { adminOnly: false, sessions }));
    const organisation = config.licensePolicy.organisation;
    if (catalog !== undefined) scope.addHook('preHandler', createLicensePolicyHook(catalog, organisation));
    if (catalog !== undefined && config.store.private) registerStoreModelRoutes(scope, catalog);
    if (catalog !== undefined && config.store.private) registerStoreLeaderboardRoutes(scope, catalog);
    registerV1ModelRoutes(scope, router, createModelAccessFilter(catalog, organisation), gpts === undefined ? undefined : gptModelLister(gpts));
    registerV1ChatRoutes(scope, router, dependencies.metering, gptRuns);
    registerV1EmbeddingsRoutes(scope, router, dependencies.metering);
    registerV1ResponsesRoutes(scope, router, responses, dependencies.metering, gptRuns);
    if (gptScopes !== undefined) registerGptRoutes(scope, gptScopes, 'authenticated');
    if (dependencies.billingAdministration !== undefined) registerCreditRedeemRoute(scope, dependencies.billingAdministration);
  });

  void app.register(async (scope) => {
    scope.addHook('onRequest', createAuthenticationHook(apiKeys, { adminOnly: true, sessions }));
    registerAdminProviderRoutes(scope, router, config.providers);
    registerAdminRouteRoutes(scope, routeAdministration);
    registerAdminAuditRoutes(scope, auditLog);
    if (dependencies.credentials !== undefined) registerAdminCredentialRoutes(scope, dependencies.credentials);
    if (catalog !== undefined) registerAdminModelRoutes(scope, catalog);
    if (dependencies.billingAdministration !== undefined) registerAdminBillingRoutes(scope, dependencies.billingAdministration);
    if (dependencies.billingAdministration !== undefined) registerAdminUsageRoutes(scope, dependencies.billingAdministration);
    if (dependencies.evaluations !== undefined) registerAdminEvaluationRoutes(scope, dependencies.evaluations);
    if (gptScopes !== undefined) registerGptRoutes(scope, gptScopes, 'admin');
  });

  // Keys and organisations: installation admins, and organisation owners and admins scoped to their own organisation.
  const organisations = dependencies.organisations ?? new OrganisationService(database, apiKeys);
  void app.register(async (scope) => {
    scope.addHook('onRequest', createAuthenticationHook(apiKeys, { adminOnly: true, organisationManagers: true, sessions }));
    registerAdminKeyRoutes(scope, apiKeys);
    registerAdminOrganisationRoutes(scope, organisations);
  });

  return {
    app,
    metrics,
    beginDraining() {
      draining = true;
    },
  };
}
