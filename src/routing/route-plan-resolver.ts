// Model name → RoutePlan. The table is built once from the validated configuration, every plan
// frozen, so resolving on the hot path is one Map lookup and nothing is merged per request.
import { ConfigError, type Config, type ProviderConfig } from '../config/index.js';
import { ModelmartError } from '../core/index.js';
import type { ListedModel, RoutePlan, RouteTarget } from './route-plan.js';

/** Share of traffic a canary route sends to its last target when `canaryPercent` is not set. */
export const defaultCanaryPercent = 10;

export interface RoutePlanResolver {
  /** The plan for a route name or `<provider id>/<model>`; a 404 `model_not_found` otherwise. */
  resolve(modelName: string): RoutePlan;
  /** Every public model: provider models first, then routes, for GET /v1/models. */
  listModels(): readonly ListedModel[];
  /** Every distinct deployment any plan can send to, for health records. */
  allTargets(): readonly RouteTarget[];
}

type ProviderModelEntry = ProviderConfig['models'][number];

function modelName(entry: ProviderModelEntry): string {
  return typeof entry === 'string' ? entry : entry.name;
}

function buildTarget(provider: ProviderConfig, name: string, weight: number): RouteTarget {
  const entry = provider.models.find((candidate) => modelName(candidate) === name);
  const details = entry === undefined || typeof entry === 'string' ? undefined : entry;
  return Object.freeze({
    providerId: provider.id,
    upstreamModel: details?.upstreamName ?? name,
    publicModelId: `${provider.id}/${name}`,
    weight,
    embedding: details?.embedding ?? false,
    ...(details?.contextWindow === undefined ? {} : { contextWindow: details.contextWindow }),
    ...(details?.maxOutputTokens === undefined ? {} : { maxOutputTokens: details.maxOutputTokens }),
    ...(provider.timeoutMs === undefined ? {} : { timeoutMilliseconds: provider.timeoutMs }),
  });
}

function modelNotFound(requested: string, lowercaseNames: ReadonlyMap<string, string>): ModelmartError {
  const nearMatch = lowercaseNames.get(requested.toLowerCase());
  const hint = nearMatch === undefined ? '' : ` Did you mean '${nearMatch}'?`;
  return new ModelmartError(
    404,
    `The model '${requested}' does not exist or is not configured on this server.${hint} GET /v1/models lists the models you can use.`,
    { code: 'model_not_found', param: 'model' },
  );
}

export function createRoutePlanResolver(config: Config, createdSeconds: number = Math.floor(Date.now() / 1000)): RoutePlanResolver {
  const plans = new Map<string, RoutePlan>();
  const targets = new Map<string, RouteTarget>();
  const listed: ListedModel[] = [];
  const providers = new Map(config.providers.map((provider) => [provider.id, provider]));
  const problems: string[] = [];

  const sharedTarget = (provider: ProviderConfig, name: string, weight: number): RouteTarget => {
    const target = buildTarget(provider, name, weight);
    // Health is kept per deployment, whatever weight a route gives it.
    if (!targets.has(target.publicModelId)) targets.set(target.publicModelId, target);
    return target;
  };

  for (const provider of config.providers) {
    for (const entry of provider.models) {
      const target = sharedTarget(provider, modelName(entry), 1);
      if (plans.has(target.publicModelId)) {
        problems.push(`providers.${provider.id}.models: ${JSON.stringify(modelName(entry))} is listed twice`);
        continue;
      }
      plans.set(target.publicModelId, Object.freeze({ publicName: target.publicModelId, strategy: 'fallback', targets: Object.freeze([target]) }));
      listed.push(Object.freeze({ id: target.publicModelId, object: 'model', created: createdSeconds, owned_by: provider.id }));
    }
  }

  const routeNames = new Set<string>();
  config.routes.forEach((route, routeIndex) => {
    if (routeNames.has(route.model)) problems.push(`routes[${routeIndex}].model: duplicate route ${JSON.stringify(route.model)}`);
    routeNames.add(route.model);
    const routeTargets: RouteTarget[] = [];
    route.targets.forEach((target, targetIndex) => {
      const provider = providers.get(target.provider);
      if (provider === undefined) {
        problems.push(`routes[${routeIndex}].targets[${targetIndex}].provider: no provider with id ${JSON.stringify(target.provider)}`);
        return;
      }
      routeTargets.push(sharedTarget(provider, target.model, target.weight ?? 1));
    });
    const plan: RoutePlan = Object.freeze({
      publicName: route.model,
      strategy: route.strategy,
      targets: Object.freeze(routeTargets),
      ...(route.strategy === 'canary' ? { canaryPercent: route.canaryPercent ?? defaultCanaryPercent } : {}),
    });
    // A route may deliberately take over a provider model's name: it is an alias for a deployment.
    const shadowsProviderModel = plans.has(route.model);
    plans.set(route.model, plan);
    if (!shadowsProviderModel) listed.push(Object.freeze({ id: route.model, object: 'model', created: createdSeconds, owned_by: 'modelmart' }));
  });

  if (problems.length > 0) throw new ConfigError(problems, 'routes');

  const lowercaseNames = new Map<string, string>();
  for (const name of plans.keys()) lowercaseNames.set(name.toLowerCase(), name);
  const frozenListing = Object.freeze(listed);
  const frozenTargets = Object.freeze([...targets.values()]);

  return {
    resolve(requested: string): RoutePlan {
      const plan = plans.get(requested);
      if (plan === undefined) throw modelNotFound(requested, lowercaseNames);
      return plan;
    },
    listModels: () => frozenListing,
    allTargets: () => frozenTargets,
  };
}
