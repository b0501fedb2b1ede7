// The HTTP server: Fastify app, routes, middleware and the error handler.
export { buildServer, type ModelmartServer, type ServerDependencies } from './server-app.js';
