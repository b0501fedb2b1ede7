import { describe, expect, it } from 'vitest';
import type { BenchmarkResult, LicenseTerms, PriceVersion } from '../api/api-types';
import { canAdd, compareHref, grokAnnouncementIds, idsToShow, parseCompareIds } from './compare-selection';
import { defaultUsageWindow, emptyKeyForm, keyRequestFromForm, usageSeries } from './console-logic';
import { benchmarkPairs, licenseInPlainWords, opennessRows, playgroundModelName, priceSteps } from './model-view-logic';
import { buildChatRequest, cardPricesModel, codeSamples, isCardId, storeSearchText, toPythonLiteral } from './playground-logic';

const price = (effective: string, input: number, output: number): PriceVersion => ({
  effective_from: `${effective}T00:00:00.000Z`,
  currency: 'USD',
  input_per_million_tokens: input,
  output_per_million_tokens: output,
  cached_input_per_million_tokens: null,
  per_request: 0,
  free_tier: null,
  source: null,
});

describe('model page logic', () => {
  it('draws a price cut as a step held until today', () => {
    const steps = priceSteps([price('2024-05-01', 5_000_000, 15_000_000), price('2023-03-14', 30_000_000, 60_000_000)], '2026-11-28');
    expect(steps).toEqual({ labels: ['2023-03-14', '2024-05-01', '2026-11-28'], input: [30, 5, 5], output: [60, 15, 15], currency: 'USD' });
    expect(priceSteps([], '2026-11-28').labels).toEqual([]);
  });

  it('pairs the best published and measured score per benchmark', () => {
    const published = (score: number): BenchmarkResult => ({ benchmark: 'gsm8k', score, setting: {}, source: { kind: 'published', citation_url: 'https://x.ai/blog/grok', published_at: '2023-11-03' } });
    const measured: BenchmarkResult = { benchmark: 'gsm8k', score: 63.4, setting: {}, source: { kind: 'measured', evaluation_run_id: 'evalrun_1' } };
    const pairs = benchmarkPairs([published(60), published(62.9), measured, { ...published(73), benchmark: 'mmlu' }]);
    expect(pairs.map((pair) => [pair.benchmark, pair.published?.score ?? null, pair.measured?.score ?? null])).toEqual([
      ['gsm8k', 62.9, 63.4],
      ['mmlu', 73, null],
    ]);
  });

  it('says the licence terms in plain sentences', () => {
    const terms: LicenseTerms = {
      name: 'Llama 2 Community License',
      url: null,
      open_source: false,
      commercial_use: 'conditional',
      monthly_active_users_threshold: 700_000_000,
      annual_revenue_threshold_usd: null,
      attribution: 'Built with Llama',
      derivative_naming: null,
      outputs_may_train_other_models: false,
      acceptable_use_policy_url: null,
      gated: true,
      conditions: [],
    };
    expect(licenseInPlainWords(terms)).toEqual([
      { key: 'licence.plain.commercial.conditional' },
      { key: 'licence.plain.userThreshold', parameters: { users: 700_000_000 } },
      { key: 'licence.plain.attribution', parameters: { text: 'Built with Llama' } },
      { key: 'licence.plain.outputsMayNotTrain' },
      { key: 'licence.plain.gated' },
      { key: 'licence.plain.notOpenSource' },
    ]);
  });

  it('lists all seventeen MOF components, unknown where the card is silent', () => {
    const rows = opennessRows({ final_parameters: { public: true, license: 'Apache-2.0' }, datasets: { public: false } });
    expect(rows).toHaveLength(17);
    expect(rows.find((row) => row.component === 'final_parameters')?.state).toBe('public');
    expect(rows.find((row) => row.component === 'datasets')?.state).toBe('closed');
    expect(rows.find((row) => row.component === 'training_code')?.state).toBe('unknown');
  });

  it('picks the gateway name to try a model under', () => {
    expect(playgroundModelName({ id: 'gpt-4', deployments: [{ kind: 'public-cloud-api', provider: 'openai', model: 'gpt-4' }] })).toBe('openai/gpt-4');
    expect(playgroundModelName({ id: 'x', deployments: [{ kind: 'private', provider: 'vllm', model: 'x' }, { kind: 'private', route: 'chat-default' }] })).toBe('chat-default');
    expect(playgroundModelName({ id: 'grok-0', deployments: [] })).toBe('grok-0');
  });
});

describe('compare selection', () => {
  it("shows the Grok-1 announcement's models when nothing is chosen", () => {
    expect(parseCompareIds('')).toEqual([]);
    expect(idsToShow([])).toEqual(grokAnnouncementIds);
    expect(parseCompareIds('?ids=gpt-4,%20claude-2,,gpt-4')).toEqual(['gpt-4', 'claude-2']);
    expect(idsToShow(['gpt-4'])).toEqual(['gpt-4']);
  });

  it('allows up to four distinct chosen models', () => {
    expect(canAdd(['a', 'b', 'c'], 'd')).toBe(true);
    expect(canAdd(['a', 'b', 'c', 'd'], 'e')).toBe(false);
    expect(canAdd(['a'], 'a')).toBe(false);
    expect(compareHref(['a', 'b c'])).toBe('/compare?ids=a,b%20c');
    expect(compareHref([])).toBe('/compare');
  });
});

describe('playground logic', () => {
  it('asks for a stream with usage, with the parameters given', () => {
    expect(buildChatRequest({ model: 'stub/gpt-4', temperature: 0.2, maxTokens: 64 }, [{ role: 'user', content: 'Hi' }])).toEqual({
      model: 'stub/gpt-4',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.2,
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(buildChatRequest({ model: 'm', temperature: 1, maxTokens: null }, [])).not.toHaveProperty('max_tokens');
  });

  it('writes the same call as curl, JavaScript and Python, with the key as a variable', () => {
    const request = buildChatRequest({ model: 'stub/gpt-4', temperature: 0.7, maxTokens: null }, [{ role: 'user', content: "it's" }]);
    const samples = codeSamples('http://127.0.0.1:8080', request);
    expect(samples.curl).toContain('curl http://127.0.0.1:8080/v1/chat/completions');
    expect(samples.curl).toContain('$MODELMART_API_KEY');
    expect(samples.curl).toContain(`it'\\''s`);
    expect(samples.javascript).toContain("baseURL: 'http://127.0.0.1:8080/v1'");
    expect(samples.javascript).toContain('"stream_options"');
    expect(samples.python).toContain('base_url="http://127.0.0.1:8080/v1"');
    expect(samples.python).toContain('    stream=True,');
    expect(samples.python).toContain('    stream_options={\n        "include_usage": True,\n    },');
    expect(samples.python).toContain(`"content": "it's",`);
  });

  it('writes JSON values as Python literals', () => {
    expect(toPythonLiteral({ a: [true, false, null], b: 'x"y', c: {} })).toBe('{\n    "a": [\n        True,\n        False,\n        None,\n    ],\n    "b": "x\\"y",\n    "c": {},\n}');
  });

  it('finds the card the gateway bills a model name at', () => {
    const card = { id: 'qwen2.5-7b-instruct', deployments: [{ kind: 'private' as const, provider: 'local-vllm', model: 'qwen2.5-7b-instruct' }, { kind: 'private' as const, route: 'chat-default' }] };
    expect(cardPricesModel(card, 'qwen2.5-7b-instruct')).toBe(true);
    expect(cardPricesModel(card, 'local-vllm/qwen2.5-7b-instruct')).toBe(true);
    expect(cardPricesModel(card, 'chat-default')).toBe(true);
    // The gateway does not strip an unknown provider's prefix, so neither does the playground.
    expect(cardPricesModel(card, 'other/qwen2.5-7b-instruct')).toBe(false);
    expect(storeSearchText('local-vllm/qwen2.5-7b-instruct')).toBe('qwen2.5-7b-instruct');
    expect(isCardId('gpt-4')).toBe(true);
    expect(isCardId('stub/gpt-4')).toBe(false);
  });
});

describe('console logic', () => {
  it('sends only the key fields that were filled in', () => {
    expect(keyRequestFromForm({ ...emptyKeyForm, name: ' ci ' })).toEqual({ name: 'ci', role: 'user' });
    expect(keyRequestFromForm({ name: 'bot', role: 'user', allowedModels: 'openai/*, qwen-*', deniedModels: '', requestsPerMinute: '60', tokensPerMinute: '', expiresOn: '2027-01-31' })).toEqual({
      name: 'bot',
      role: 'user',
      scopes: { allowed_models: ['openai/*', 'qwen-*'] },
      requests_per_minute: 60,
      expires_at: '2027-01-31T23:59:59Z',
    });
  });

  it('sums usage per group in one currency', () => {
    const row = (day: string, model: string, cost: number) => ({ day, model, currency: 'USD' as const, requests: 1, prompt_tokens: 10, completion_tokens: 5, cost });
    const series = usageSeries([row('2026-11-01', 'a', 100), row('2026-11-01', 'b', 50), row('2026-11-02', 'a', 25), { ...row('2026-11-02', 'a', 999), currency: 'CNY' }], 'day');
    expect(series).toEqual({ labels: ['2026-11-01', '2026-11-02'], costs: [150, 25], tokens: [30, 15], currency: 'USD' });
    expect(usageSeries([row('2026-11-01', 'a', 1), { day: '2026-11-01', currency: 'USD' as const, requests: 1, prompt_tokens: 1, completion_tokens: 1, cost: 1 }], 'model').labels).toEqual(['a', '—']);
    expect(usageSeries([{ ...row('2026-11-01', 'a', 1), project_id: 'proj_1' }], 'project').labels).toEqual(['proj_1']);
  });

  it('reports the last thirty days by default', () => {
    expect(defaultUsageWindow(new Date('2026-11-28T12:00:00Z'))).toEqual({ from: '2026-10-30', to: '2026-11-28' });
  });
});
