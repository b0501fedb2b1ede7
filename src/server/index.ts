// The HTTP server: Fastify app, routes, middleware and the error handler.
export { buildServer, type ModelmartServer, type ServerDependencies } from './server-app.js';
export type { CatalogueImportState, StartupProgress } from './routes/health-routes.js';
export { createServerMetrics, recordUsageMetrics, type ServerMetrics } from './server-metrics.js';
export { evaluationMetering, evaluationPrincipal, GatewayMetering, knowledgeEmbeddingsMetering, type MeteredCall, type MeteringRequest } from './middleware/gateway-metering.js';
