import { describe, expect, it } from 'vitest';
import { ConfigError, type Config } from '../config/index.js';
import { ModelmartError } from '../core/index.js';
import { testConfig } from './__fixtures__/fake-provider-adapter.js';
import { createRoutePlanResolver, defaultCanaryPercent } from './route-plan-resolver.js';

const config = testConfig({
  providers: [
    {
      id: 'openai',
      type: 'openai-compatible',
      baseUrl: 'https://api.openai.com/v1',
      timeoutMs: 20_000,
      models: ['gpt-4o-mini', { name: 'gpt-4o', upstreamName: 'gpt-4o-2024-11-20', contextWindow: 128_000, maxOutputTokens: 16_384 }],
    },
    { id: 'local', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1', models: ['qwen', { name: 'embedder', embedding: true }] },
  ],
  routes: [
    { model: 'chat-default', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'local', model: 'qwen' }] },
    { model: 'split', strategy: 'weighted', targets: [{ provider: 'openai', model: 'gpt-4o', weight: 3 }, { provider: 'local', model: 'qwen' }] },
    { model: 'rollout', strategy: 'canary', targets: [{ provider: 'openai', model: 'gpt-4o' }, { provider: 'openai', model: 'gpt-4o-mini' }] },
    { model: 'smart', targets: [{ provider: 'openai', model: 'gpt-4o' }] },
    { model: 'unlisted', targets: [{ provider: 'local', model: 'llama-3' }] },
  ],
});

describe('createRoutePlanResolver', () => {
  const resolver = createRoutePlanResolver(config, 1_700_000_000);

  it('resolves a provider model to a single frozen target with its details', () => {
    const plan = resolver.resolve('openai/gpt-4o');
    expect(plan).toEqual({
      publicName: 'openai/gpt-4o',
      strategy: 'fallback',
      targets: [
        {
          providerId: 'openai',
          upstreamModel: 'gpt-4o-2024-11-20',
          publicModelId: 'openai/gpt-4o',
          weight: 1,
          embedding: false,
          contextWindow: 128_000,
          maxOutputTokens: 16_384,
          timeoutMilliseconds: 20_000,
        },
      ],
    });
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan.targets)).toBe(true);
    expect(Object.isFrozen(plan.targets[0])).toBe(true);
    expect(resolver.resolve('openai/gpt-4o')).toBe(plan);
  });

  it('resolves routes with their strategy, targets in order, weights and canary share', () => {
    const fallback = resolver.resolve('chat-default');
    expect(fallback.strategy).toBe('fallback');
    expect(fallback.targets.map((target) => target.publicModelId)).toEqual(['openai/gpt-4o-mini', 'local/qwen']);
    expect(resolver.resolve('split').targets.map((target) => target.weight)).toEqual([3, 1]);
    expect(resolver.resolve('rollout').canaryPercent).toBe(defaultCanaryPercent);
    expect(resolver.resolve('chat-default').canaryPercent).toBeUndefined();
  });

  it('treats a single-target route as an alias that keeps the deployment details', () => {
    const alias = resolver.resolve('smart');
    expect(alias.targets[0]?.upstreamModel).toBe('gpt-4o-2024-11-20');
    expect(alias.targets[0]?.contextWindow).toBe(128_000);
    expect(resolver.resolve('unlisted').targets[0]).toMatchObject({ providerId: 'local', upstreamModel: 'llama-3', publicModelId: 'local/llama-3' });
  });

  it('answers an unknown model with a 404 model_not_found naming it', () => {
    const error = (() => {
      try {
        resolver.resolve('gpt-5');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ModelmartError);
    const failure = error as ModelmartError;
    expect(failure.status).toBe(404);
    expect(failure.code).toBe('model_not_found');
    expect(failure.param).toBe('model');
    expect(failure.message).toContain("'gpt-5'");
    expect(failure.message).toContain('GET /v1/models');
    expect(() => resolver.resolve('Chat-Default')).toThrow("Did you mean 'chat-default'?");
  });

  it('lists provider models and routes for /v1/models', () => {
    expect(resolver.listModels().map((model) => [model.id, model.owned_by])).toEqual([
      ['openai/gpt-4o-mini', 'openai'],
      ['openai/gpt-4o', 'openai'],
      ['local/qwen', 'local'],
      ['local/embedder', 'local'],
      ['chat-default', 'modelmart'],
      ['split', 'modelmart'],
      ['rollout', 'modelmart'],
      ['smart', 'modelmart'],
      ['unlisted', 'modelmart'],
    ]);
    expect(resolver.listModels()[0]).toEqual({ id: 'openai/gpt-4o-mini', object: 'model', created: 1_700_000_000, owned_by: 'openai' });
  });

  it('knows every deployment once, for health records', () => {
    expect(resolver.allTargets().map((target) => target.publicModelId)).toEqual([
      'openai/gpt-4o-mini',
      'openai/gpt-4o',
      'local/qwen',
      'local/embedder',
      'local/llama-3',
    ]);
  });

  it('rejects at start a route to an unconfigured provider and duplicate routes', () => {
    const broken: Config = {
      ...config,
      routes: [
        { model: 'a', strategy: 'fallback', targets: [{ provider: 'nowhere', model: 'x' }] },
        { model: 'b', strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o' }] },
        { model: 'b', strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o' }] },
      ],
    };
    expect(() => createRoutePlanResolver(broken)).toThrow(ConfigError);
    try {
      createRoutePlanResolver(broken);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'routes[0].targets[0].provider: no provider with id "nowhere"',
        'routes[2].model: duplicate route "b"',
      ]);
    }
  });

  it('resolves by one Map lookup: a million resolutions take well under a second', () => {
    const started = performance.now();
    for (let index = 0; index < 1_000_000; index += 1) resolver.resolve(index % 2 === 0 ? 'chat-default' : 'openai/gpt-4o');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
