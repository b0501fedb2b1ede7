// The route form and the API body of PUT /admin/v1/routes/{model}, both ways, and the checks
// the form makes before sending (the API checks again and names the parameter it refuses).
import type { RouteDefinitionBody, RouteStrategy, RouteTargetBody, StoredRoute } from '../api/admin-types';
import type { MessageKey } from '../i18n/messages';

export const routeStrategies: readonly RouteStrategy[] = ['fallback', 'weighted', 'canary', 'least-latency'];

/** The gateway's share for a canary route without a percentage (route-plan-resolver.ts). */
export const defaultCanaryPercent = 10;

export interface RouteTargetForm {
  readonly provider: string;
  readonly model: string;
  /** As typed; only weighted routes send it. */
  readonly weight: string;
}

export interface RouteForm {
  readonly model: string;
  readonly strategy: RouteStrategy;
  readonly canaryPercent: string;
  readonly targets: readonly RouteTargetForm[];
}

export interface RouteFormProblem {
  /** The field it concerns: `model`, `canaryPercent`, `targets`, or `targets.<index>.<field>`. */
  readonly field: string;
  readonly message: MessageKey;
}

export const emptyTarget: RouteTargetForm = { provider: '', model: '', weight: '1' };

export const emptyRouteForm: RouteForm = { model: '', strategy: 'fallback', canaryPercent: String(defaultCanaryPercent), targets: [emptyTarget] };

export function isRouteStrategy(value: string): value is RouteStrategy {
  return (routeStrategies as readonly string[]).includes(value);
}

export function routeFormFromRoute(route: StoredRoute): RouteForm {
  return {
    model: route.model,
    strategy: route.strategy,
    canaryPercent: String(route.canaryPercent ?? defaultCanaryPercent),
    targets: route.targets.map((target) => ({ provider: target.provider, model: target.model, weight: String(target.weight ?? 1) })),
  };
}

function parseNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The problems that keep the form from being sent; empty when it may be. */
export function routeFormProblems(form: RouteForm): RouteFormProblem[] {
  const problems: RouteFormProblem[] = [];
  if (form.model.trim() === '') problems.push({ field: 'model', message: 'admin.routes.problem.modelRequired' });
  if (form.targets.length === 0) problems.push({ field: 'targets', message: 'admin.routes.problem.targetRequired' });
  form.targets.forEach((target, index) => {
    if (target.provider.trim() === '') problems.push({ field: `targets.${index}.provider`, message: 'admin.routes.problem.providerRequired' });
    if (target.model.trim() === '') problems.push({ field: `targets.${index}.model`, message: 'admin.routes.problem.targetModelRequired' });
    if (form.strategy === 'weighted') {
      const weight = parseNumber(target.weight);
      if (weight === null || weight <= 0) problems.push({ field: `targets.${index}.weight`, message: 'admin.routes.problem.weightPositive' });
    }
  });
  if (form.strategy === 'canary') {
    const percent = parseNumber(form.canaryPercent);
    if (percent === null || percent < 0 || percent > 100) problems.push({ field: 'canaryPercent', message: 'admin.routes.problem.canaryPercent' });
    if (form.targets.length < 2) problems.push({ field: 'targets', message: 'admin.routes.problem.canaryTargets' });
  }
  return problems;
}

/** The body to send; weights only for weighted routes, the percentage only for canary ones. */
export function routeBodyFromForm(form: RouteForm): RouteDefinitionBody {
  const targets: RouteTargetBody[] = form.targets.map((target) => {
    const base = { provider: target.provider.trim(), model: target.model.trim() };
    const weight = parseNumber(target.weight);
    return form.strategy === 'weighted' && weight !== null ? { ...base, weight } : base;
  });
  const percent = parseNumber(form.canaryPercent);
  return form.strategy === 'canary' && percent !== null ? { strategy: form.strategy, canaryPercent: percent, targets } : { strategy: form.strategy, targets };
}

/** Each target's share of traffic in percent, for the weighted form's preview; null where a weight is not a positive number. */
export function weightShares(targets: readonly RouteTargetForm[]): (number | null)[] {
  const weights = targets.map((target) => parseNumber(target.weight));
  const valid = weights.every((weight) => weight !== null && weight > 0);
  const total = weights.reduce<number>((sum, weight) => sum + (weight ?? 0), 0);
  return weights.map((weight) => (valid && weight !== null && total > 0 ? Math.round((weight / total) * 1000) / 10 : null));
}

/** Moves a target up (-1) or down (+1) in the ordered list; out of range leaves it as it is. */
export function moveTarget(targets: readonly RouteTargetForm[], index: number, direction: -1 | 1): RouteTargetForm[] {
  const next = [...targets];
  const other = index + direction;
  const current = next[index];
  const swapped = next[other];
  if (current === undefined || swapped === undefined) return next;
  next[index] = swapped;
  next[other] = current;
  return next;
}

/** The API names the refused parameter (`targets`, `strategy`, `targets.0.weight`); the form field it belongs next to. */
export function formFieldOfParameter(parameter: string | null): string {
  if (parameter === null || parameter === '') return 'form';
  if (parameter === 'canaryPercent' || parameter === 'strategy' || parameter === 'model') return parameter;
  const target = /^targets[.[](\d+)\]?(?:\.(provider|model|weight))?$/.exec(parameter);
  if (target !== null) return target[2] === undefined ? `targets.${target[1]}` : `targets.${target[1]}.${target[2]}`;
  return parameter.startsWith('targets') ? 'targets' : 'form';
}
