// Routing: model name → immutable RoutePlan, and executing it so requests survive failures
// (strategies, retries, fallbacks, circuit breakers, deadlines, context-window checks, usage).
import type { ChatCompletionRequest } from '../api/index.js';
import type { Config, RouteConfig } from '../config/index.js';
import { systemClock, type Clock, type Logger } from '../core/index.js';
import type { CompletionRequest, EmbeddingsRequest, ProviderAdapter } from '../providers/provider-contract.js';
import type { RouteExecutionOptions } from './request-run.js';
import {
  createRouteExecutor,
  timerSleep,
  type ChatExecutionResult,
  type CompletionExecutionResult,
  type EmbeddingsExecutionResult,
  type Sleep,
} from './route-executor.js';
import type { ListedModel, RoutePlan } from './route-plan.js';
import { createRoutePlanResolver } from './route-plan-resolver.js';
import { routerSettingsSchema, type RouterSettingsInput } from './router-settings.js';
import type { RandomSource } from './routing-strategies.js';
import type { StreamChatExecution } from './stream-execution.js';
import { TargetHealthRegistry, type TargetHealthSnapshot } from './target-health.js';
import type { UsageListener } from './usage-event.js';

export type { AttemptRecord, RouteExecutionOptions } from './request-run.js';
export type { CancellationSignal } from './abort-scope.js';
export type { ChatExecutionResult, CompletionExecutionResult, EmbeddingsExecutionResult, Sleep } from './route-executor.js';
export type { ListedModel, RoutePlan, RouteTarget, RoutingStrategy } from './route-plan.js';
export { routerSettingsSchema, type RouterSettings, type RouterSettingsInput } from './router-settings.js';
export { createSeededRandom, type RandomSource } from './routing-strategies.js';
export { RouteAdministration, routeDefinitionSchema, type RouteDefinition, type StoredRoute } from './route-administration.js';
export type { StreamChatExecution } from './stream-execution.js';
export { targetHealthSnapshotSchema, type TargetHealthSnapshot } from './target-health.js';
export { StreamUsageMeter, usageEventSchema, type UsageEvent, type UsageListener } from './usage-event.js';

export interface RouterOptions {
  readonly config: Config;
  /** The adapter of a configured provider (the providers registry). */
  readonly getAdapter: (providerId: string) => ProviderAdapter;
  readonly settings?: RouterSettingsInput;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /** Backoff waits; tests pass one that returns at once. */
  readonly sleep?: Sleep;
  /** Called exactly once per executed request. Its failures are logged, never thrown. */
  readonly onUsage?: UsageListener;
  readonly logger?: Pick<Logger, 'error'>;
  /** Routes made through the admin API; they take precedence over same-named routes in the file. */
  readonly storedRoutes?: readonly RouteConfig[];
}

export interface Router {
  /** The plan for a route name or `<provider id>/<model>`; throws 404 `model_not_found`. */
  resolve(modelName: string): RoutePlan;
  /** Provider models and routes, in the OpenAI list shape, for GET /v1/models. */
  listModels(): readonly ListedModel[];
  executeChat(plan: RoutePlan, request: ChatCompletionRequest, options: RouteExecutionOptions): Promise<ChatExecutionResult>;
  /** Resolves when the first part arrived; errors before it reject (and can be HTTP errors). */
  executeStreamChat(plan: RoutePlan, request: ChatCompletionRequest, options: RouteExecutionOptions): Promise<StreamChatExecution>;
  executeEmbeddings(plan: RoutePlan, request: EmbeddingsRequest, options: RouteExecutionOptions): Promise<EmbeddingsExecutionResult>;
  executeCompletion(plan: RoutePlan, request: CompletionRequest, options: RouteExecutionOptions): Promise<CompletionExecutionResult>;
  /** Passive health of every configured deployment, for /admin/v1/providers/health. */
  healthSnapshot(): TargetHealthSnapshot[];
  /**
   * Rebuilds the routing table with a new set of stored routes (file routes stay). The table is
   * swapped whole, so a request sees the old plans or the new ones, never a mix. Throws
   * ConfigError, leaving the old table in place, when a route names an unknown provider.
   */
  replaceStoredRoutes(routes: readonly RouteConfig[]): void;
}

/** File routes, with stored routes replacing those of the same name. */
function mergeRoutes(fileRoutes: readonly RouteConfig[], storedRoutes: readonly RouteConfig[]): RouteConfig[] {
  const storedNames = new Set(storedRoutes.map((route) => route.model));
  return [...fileRoutes.filter((route) => !storedNames.has(route.model)), ...storedRoutes];
}

/** Builds the routing table once (a misconfigured route throws ConfigError here, at start). */
export function createRouter(options: RouterOptions): Router {
  const settings = routerSettingsSchema.parse(options.settings ?? {});
  const clock = options.clock ?? systemClock;
  const createdSeconds = Math.floor(clock.now().getTime() / 1000);
  const buildResolver = (storedRoutes: readonly RouteConfig[]) =>
    createRoutePlanResolver({ ...options.config, routes: mergeRoutes(options.config.routes, storedRoutes) }, createdSeconds);
  let resolver = buildResolver(options.storedRoutes ?? []);
  const health = new TargetHealthRegistry(resolver.allTargets(), {
    breaker: { failureThreshold: settings.failureThreshold, coolDownMilliseconds: settings.coolDownMilliseconds },
    latencyWindowSize: settings.latencyWindowSize,
    monotonicNow: () => clock.monotonicMilliseconds(),
    wallNow: () => clock.now(),
  });
  const executor = createRouteExecutor({
    getAdapter: options.getAdapter,
    health,
    settings,
    clock,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? timerSleep,
    onUsage: options.onUsage,
    logger: options.logger,
  });
  return {
    resolve: (modelName) => resolver.resolve(modelName),
    listModels: () => resolver.listModels(),
    executeChat: (plan, request, executionOptions) => executor.executeChat(plan, request, executionOptions),
    executeStreamChat: (plan, request, executionOptions) => executor.executeStreamChat(plan, request, executionOptions),
    executeEmbeddings: (plan, request, executionOptions) => executor.executeEmbeddings(plan, request, executionOptions),
    executeCompletion: (plan, request, executionOptions) => executor.executeCompletion(plan, request, executionOptions),
    healthSnapshot: () => health.snapshot(),
    replaceStoredRoutes(routes) {
      resolver = buildResolver(routes);
    },
  };
}
