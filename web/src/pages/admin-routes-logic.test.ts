import { describe, expect, it } from 'vitest';
import type { StoredRoute } from '../api/admin-types';
import { emptyRouteForm, formFieldOfParameter, moveTarget, routeBodyFromForm, routeFormFromRoute, routeFormProblems, weightShares, type RouteForm } from './admin-routes-logic';

const weighted: RouteForm = {
  model: 'support-bot',
  strategy: 'weighted',
  canaryPercent: '10',
  targets: [
    { provider: 'vendor', model: 'model-a', weight: '3' },
    { provider: 'vendor', model: 'model-b', weight: '1' },
  ],
};

describe('route form and API body', () => {
  it('sends weights only for weighted routes and the percentage only for canary ones', () => {
    expect(routeBodyFromForm(weighted)).toEqual({ strategy: 'weighted', targets: [{ provider: 'vendor', model: 'model-a', weight: 3 }, { provider: 'vendor', model: 'model-b', weight: 1 }] });
    expect(routeBodyFromForm({ ...weighted, strategy: 'canary', canaryPercent: '5' })).toEqual({ strategy: 'canary', canaryPercent: 5, targets: [{ provider: 'vendor', model: 'model-a' }, { provider: 'vendor', model: 'model-b' }] });
    expect(routeBodyFromForm({ ...weighted, strategy: 'fallback' })).toEqual({ strategy: 'fallback', targets: [{ provider: 'vendor', model: 'model-a' }, { provider: 'vendor', model: 'model-b' }] });
  });

  it('reads a stored route back into the form, and the form back into the same body', () => {
    const stored: StoredRoute = { model: 'support-bot', source: 'admin', strategy: 'weighted', targets: [{ provider: 'vendor', model: 'model-a', weight: 3 }, { provider: 'vendor', model: 'model-b' }] };
    const form = routeFormFromRoute(stored);
    expect(form).toEqual({ model: 'support-bot', strategy: 'weighted', canaryPercent: '10', targets: [{ provider: 'vendor', model: 'model-a', weight: '3' }, { provider: 'vendor', model: 'model-b', weight: '1' }] });
    expect(routeBodyFromForm(form)).toEqual({ strategy: 'weighted', targets: [{ provider: 'vendor', model: 'model-a', weight: 3 }, { provider: 'vendor', model: 'model-b', weight: 1 }] });
    const canary = routeFormFromRoute({ model: 'c', source: 'file', strategy: 'canary', canaryPercent: 25, targets: [{ provider: 'p', model: 'a' }, { provider: 'p', model: 'b' }] });
    expect(routeBodyFromForm(canary)).toEqual({ strategy: 'canary', canaryPercent: 25, targets: [{ provider: 'p', model: 'a' }, { provider: 'p', model: 'b' }] });
  });

  it('validates names, targets, weights and the canary percentage', () => {
    expect(routeFormProblems(weighted)).toEqual([]);
    expect(routeFormProblems(emptyRouteForm).map((problem) => problem.field)).toEqual(['model', 'targets.0.provider', 'targets.0.model']);
    const badWeights = routeFormProblems({ ...weighted, targets: [{ provider: 'v', model: 'a', weight: '0' }, { provider: 'v', model: 'b', weight: 'x' }] });
    expect(badWeights).toEqual([
      { field: 'targets.0.weight', message: 'admin.routes.problem.weightPositive' },
      { field: 'targets.1.weight', message: 'admin.routes.problem.weightPositive' },
    ]);
    // Weights do not matter to the other strategies.
    expect(routeFormProblems({ ...weighted, strategy: 'fallback', targets: [{ provider: 'v', model: 'a', weight: '' }] })).toEqual([]);
    expect(routeFormProblems({ ...weighted, strategy: 'canary', canaryPercent: '120' }).map((problem) => problem.field)).toEqual(['canaryPercent']);
    expect(routeFormProblems({ ...weighted, strategy: 'canary', targets: [{ provider: 'v', model: 'a', weight: '1' }] }).map((problem) => problem.message)).toEqual(['admin.routes.problem.canaryTargets']);
    expect(routeFormProblems({ ...weighted, targets: [] }).map((problem) => problem.field)).toEqual(['targets']);
  });

  it('previews weighted shares and leaves them out while a weight is invalid', () => {
    expect(weightShares(weighted.targets)).toEqual([75, 25]);
    expect(weightShares([{ provider: 'a', model: 'b', weight: '1' }, { provider: 'a', model: 'c', weight: '2' }])).toEqual([33.3, 66.7]);
    expect(weightShares([{ provider: 'a', model: 'b', weight: '1' }, { provider: 'a', model: 'c', weight: '-1' }])).toEqual([null, null]);
  });

  it('reorders targets', () => {
    expect(moveTarget(weighted.targets, 1, -1).map((target) => target.model)).toEqual(['model-b', 'model-a']);
    expect(moveTarget(weighted.targets, 0, -1).map((target) => target.model)).toEqual(['model-a', 'model-b']);
    expect(moveTarget(weighted.targets, 1, 1).map((target) => target.model)).toEqual(['model-a', 'model-b']);
  });

  it('places the API error next to the field its parameter names', () => {
    expect(formFieldOfParameter('strategy')).toBe('strategy');
    expect(formFieldOfParameter('canaryPercent')).toBe('canaryPercent');
    expect(formFieldOfParameter('targets[1].weight')).toBe('targets.1.weight');
    expect(formFieldOfParameter('targets[0]')).toBe('targets.0');
    expect(formFieldOfParameter('targets')).toBe('targets');
    expect(formFieldOfParameter(null)).toBe('form');
    expect(formFieldOfParameter('something')).toBe('form');
  });
});
