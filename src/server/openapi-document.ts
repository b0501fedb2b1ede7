// The OpenAPI 3.1 document served at /openapi.json, with request bodies generated from the
// same zod schemas that validate them, so the document cannot drift from the code.
import { chatCompletionRequestSchema, embeddingsRequestSchema, responsesRequestSchema, textCompletionRequestSchema } from '../api/index.js';
import { routeDefinitionSchema } from '../routing/index.js';
import { benchmarkResultSchema, deprecationRequestSchema, modelCardBodySchema, modelCardCreateSchema, priceVersionSchema } from '../catalog/index.js';
import { createKeyRequestSchema } from './routes/admin-key-routes.js';
import { storeCredentialRequestSchema } from './routes/admin-credential-routes.js';
import { addMemberInputSchema, createOrganisationInputSchema, createProjectInputSchema, updateMemberInputSchema, updateOrganisationInputSchema, updateProjectInputSchema } from '../accounts/index.js';
import { createBudgetInputSchema, pricingPlanSchema, updateBudgetInputSchema } from '../billing/index.js';
import { errorBodySchema } from '../core/index.js';

import { gptOperations } from './openapi-gpt-operations.js';
import { schemaOf, type JsonSchema, type Operation } from './openapi-operation.js';

const describeOperations = (): readonly Operation[] => [
  { method: 'get', path: '/healthz', summary: 'Liveness: the process is up', tag: 'operations', authenticated: false },
  { method: 'get', path: '/readyz', summary: 'Readiness: database reachable and migrations current', tag: 'operations', authenticated: false },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', tag: 'operations', authenticated: false },
  { method: 'post', path: '/auth/v1/sessions', summary: 'Sign in: open a browser session with an API key (sets the HTTP-only session cookie; answers the CSRF token)', tag: 'auth', authenticated: false },
  { method: 'get', path: '/auth/v1/session', summary: 'Who is signed in (session cookie or Bearer key), with the CSRF token for a session', tag: 'auth', authenticated: true },
  { method: 'delete', path: '/auth/v1/session', summary: 'Sign out: revoke the session and clear its cookie (x-csrf-token required)', tag: 'auth', authenticated: true },
  { method: 'get', path: '/v1/models', summary: 'List the models this key may use', tag: 'openai', authenticated: true },
  { method: 'get', path: '/v1/models/{model}', summary: 'Retrieve one model', tag: 'openai', authenticated: true },
  { method: 'post', path: '/v1/chat/completions', summary: 'Create a chat completion (stream or not)', tag: 'openai', body: schemaOf(chatCompletionRequestSchema), authenticated: true },
  { method: 'post', path: '/v1/responses', summary: 'Create a model response (Responses API)', tag: 'openai', body: schemaOf(responsesRequestSchema), authenticated: true },
  { method: 'get', path: '/v1/responses/{id}', summary: 'Retrieve a stored response', tag: 'openai', authenticated: true },
  { method: 'delete', path: '/v1/responses/{id}', summary: 'Delete a stored response', tag: 'openai', authenticated: true },
  { method: 'post', path: '/v1/embeddings', summary: 'Create embeddings', tag: 'openai', body: schemaOf(embeddingsRequestSchema), authenticated: true },
  { method: 'post', path: '/v1/completions', summary: 'Create a completion (legacy)', tag: 'openai', body: schemaOf(textCompletionRequestSchema), authenticated: true },
  { method: 'get', path: '/admin/v1/keys', summary: 'List API keys (never the keys themselves)', tag: 'admin', authenticated: true },
  { method: 'post', path: '/admin/v1/keys', summary: 'Create an API key; the key is returned once', tag: 'admin', body: schemaOf(createKeyRequestSchema), authenticated: true },
  { method: 'delete', path: '/admin/v1/keys/{id}', summary: 'Revoke an API key at once', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/routes', summary: 'List routes from the file and the admin API', tag: 'admin', authenticated: true },
  { method: 'put', path: '/admin/v1/routes/{model}', summary: 'Create or replace a route', tag: 'admin', body: schemaOf(routeDefinitionSchema), authenticated: true },
  { method: 'delete', path: '/admin/v1/routes/{model}', summary: 'Delete a stored route', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/providers', summary: 'The configured providers: type, preset, base URL and models (never credentials)', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/providers/health', summary: 'Passive health and circuit state of every deployment', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/providers/{id}/credential', summary: 'Whether a provider key is stored (never the key)', tag: 'admin', authenticated: true },
  { method: 'put', path: '/admin/v1/providers/{id}/credential', summary: 'Store a provider API key, encrypted at rest; it replaces the configured one at once', tag: 'admin', body: schemaOf(storeCredentialRequestSchema), authenticated: true },
  { method: 'delete', path: '/admin/v1/providers/{id}/credential', summary: 'Delete a stored provider key; the configured one applies again', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/audit-log', summary: 'Admin changes, newest first, filtered and paged with a cursor', tag: 'admin', authenticated: true },
  { method: 'post', path: '/admin/v1/organisations', summary: 'Create an organisation (a tenant) with a default project', tag: 'admin', body: schemaOf(createOrganisationInputSchema), authenticated: true },
  { method: 'get', path: '/admin/v1/organisations', summary: 'List organisations (an organisation admin sees only its own)', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}', summary: 'One organisation; another tenant\'s answers 404', tag: 'admin', authenticated: true },
  { method: 'patch', path: '/admin/v1/organisations/{id}', summary: 'Rename, set limits or archive an organisation', tag: 'admin', body: schemaOf(updateOrganisationInputSchema), authenticated: true },
  { method: 'post', path: '/admin/v1/organisations/{id}/projects', summary: 'Create a project', tag: 'admin', body: schemaOf(createProjectInputSchema), authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}/projects', summary: 'List projects', tag: 'admin', authenticated: true },
  { method: 'patch', path: '/admin/v1/organisations/{id}/projects/{projectId}', summary: 'Rename, set limits or archive a project', tag: 'admin', body: schemaOf(updateProjectInputSchema), authenticated: true },
  { method: 'post', path: '/admin/v1/organisations/{id}/users', summary: 'Add a user with a role (owner, admin, member, billing_viewer)', tag: 'admin', body: schemaOf(addMemberInputSchema), authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}/users', summary: 'List the organisation\'s users and roles', tag: 'admin', authenticated: true },
  { method: 'patch', path: '/admin/v1/organisations/{id}/users/{userId}', summary: 'Change a user\'s role', tag: 'admin', body: schemaOf(updateMemberInputSchema), authenticated: true },
  { method: 'delete', path: '/admin/v1/organisations/{id}/users/{userId}', summary: 'Remove a user from the organisation', tag: 'admin', authenticated: true },
  { method: 'post', path: '/admin/v1/organisations/{id}/credits', summary: 'Top up prepaid credit (integer micro-units)', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}/balance', summary: 'Balance, mode and credit limit', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}/transactions', summary: 'Transaction history, cursor pages', tag: 'admin', authenticated: true },
  { method: 'put', path: '/admin/v1/organisations/{id}/account', summary: 'Account mode (prepaid, postpaid, unlimited), credit limit, currency', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}/pricing-plan', summary: 'The organisation\'s pricing plan', tag: 'admin', authenticated: true },
  { method: 'put', path: '/admin/v1/organisations/{id}/pricing-plan', summary: 'Set the pricing plan (pay-as-you-go with markup or tiers, subscription, free tier)', tag: 'admin', body: schemaOf(pricingPlanSchema), authenticated: true },
  { method: 'get', path: '/admin/v1/organisations/{id}/statements/{month}', summary: 'Monthly statement (format=json|csv)', tag: 'admin', authenticated: true },
  { method: 'post', path: '/admin/v1/redemption-codes', summary: 'Create a batch of one-time redemption codes, shown once', tag: 'admin', authenticated: true },
  { method: 'post', path: '/v1/credits/redeem', summary: 'Redeem a code for the key\'s organisation', tag: 'openai', authenticated: true },
  { method: 'post', path: '/admin/v1/budgets', summary: 'Create a budget (organisation, project or key; day or month; hard and soft limits)', tag: 'admin', body: schemaOf(createBudgetInputSchema), authenticated: true },
  { method: 'get', path: '/admin/v1/budgets', summary: 'List budgets', tag: 'admin', authenticated: true },
  { method: 'patch', path: '/admin/v1/budgets/{id}', summary: 'Change a budget\'s limits', tag: 'admin', body: schemaOf(updateBudgetInputSchema), authenticated: true },
  { method: 'delete', path: '/admin/v1/budgets/{id}', summary: 'Delete a budget', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/usage', summary: 'Usage from the ledger: group_by=model,project,key,day,provider, from, to (JSON or CSV)', tag: 'admin', authenticated: true },
  { method: 'post', path: '/admin/v1/evaluations', summary: 'Start an evaluation run in the background', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/evaluations', summary: 'List evaluation runs with progress', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/evaluations/{id}', summary: 'One run: progress, running score, spend, metrics', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/evaluations/{id}/items', summary: 'A run\'s items in order (question, expected, answer, correct), cursor pages', tag: 'admin', authenticated: true },
  { method: 'get', path: '/admin/v1/evaluations/{id}/events', summary: 'Live progress as Server-Sent Events (progress…, then done)', tag: 'admin', authenticated: true },
  { method: 'post', path: '/admin/v1/evaluations/{id}/cancel', summary: 'Cancel a run', tag: 'admin', authenticated: true },
  { method: 'get', path: '/store/v1/leaderboard', summary: 'Measured and published scores side by side (benchmarks=…, store filters, sort, cursor)', tag: 'store', authenticated: false },
  { method: 'get', path: '/store/v1/models', summary: 'Search the catalogue: q, filters, min_score, sort, cursor pages', tag: 'store', authenticated: false },
  { method: 'get', path: '/store/v1/models/{id}', summary: 'One model card with its price history', tag: 'store', authenticated: false },
  { method: 'get', path: '/store/v1/models/{id}/export', summary: 'Export a card as JSON or as a Hugging Face model card (format=json|huggingface)', tag: 'store', authenticated: false },
  { method: 'post', path: '/admin/v1/models/import', summary: 'Import a card from JSON or a Hugging Face model card', tag: 'admin', authenticated: true },
  { method: 'get', path: '/store/v1/compare', summary: 'Compare models side by side (ids=a,b,c)', tag: 'store', authenticated: false },
  { method: 'post', path: '/admin/v1/models', summary: 'Create a model card', tag: 'admin', body: schemaOf(modelCardCreateSchema), authenticated: true },
  { method: 'put', path: '/admin/v1/models/{id}', summary: 'Replace a model card (prices change through versions)', tag: 'admin', body: schemaOf(modelCardBodySchema), authenticated: true },
  { method: 'post', path: '/admin/v1/models/{id}/prices', summary: 'Append a price version (never in the past)', tag: 'admin', body: schemaOf(priceVersionSchema), authenticated: true },
  { method: 'post', path: '/admin/v1/models/{id}/benchmarks', summary: 'Record a benchmark result (measured by an evaluation run, or published)', tag: 'admin', body: schemaOf(benchmarkResultSchema), authenticated: true },
  { method: 'post', path: '/admin/v1/models/{id}/deprecate', summary: 'Deprecate a model with a sunset date', tag: 'admin', body: schemaOf(deprecationRequestSchema), authenticated: true },
  ...gptOperations(),
];

export function buildOpenApiDocument(): JsonSchema {
  const operations = describeOperations();
  const errorResponse = { description: 'An error in the OpenAI shape', content: { 'application/json': { schema: schemaOf(errorBodySchema) } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const body = operation.body;
    const parameters = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method]: {
        summary: operation.summary,
        tags: [operation.tag],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(operation.authenticated ? { security: [{ bearer: [] }, { session: [] }] } : {}),
        ...(body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: body } } } }),
        responses: { '200': { description: 'Success' }, default: errorResponse },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Modelmart', version: '0.1.0', description: 'One OpenAI-compatible API over every model a company may use.' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A Modelmart API key (mm-…)' },
        session: { type: 'apiKey', in: 'cookie', name: 'modelmart_session', description: 'A browser session opened with POST /auth/v1/sessions; unsafe methods also need the x-csrf-token header' },
      },
    },
    paths,
  };
}
