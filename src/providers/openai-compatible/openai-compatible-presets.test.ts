import { describe, expect, it } from 'vitest';
import { openAiCompatiblePresets } from './openai-compatible-presets.js';
import { resolveQuirks } from './openai-compatible-quirks.js';

const localServers = new Set(['vllm', 'ollama', 'llama-cpp-server', 'lm-studio', 'modelmart']);

describe('openAiCompatiblePresets', () => {
  it('covers every vendor Modelmart documents, once each', () => {
    const ids = openAiCompatiblePresets.map((preset) => preset.id);
    expect(ids).toEqual(['openai', 'xai', 'deepseek', 'dashscope', 'moonshot', 'zhipu', 'qianfan', 'hunyuan', 'mistral', 'groq', 'together', 'vllm', 'ollama', 'llama-cpp-server', 'lm-studio', 'modelmart']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('points cloud vendors at https and local servers at localhost, without a trailing slash', () => {
    for (const preset of openAiCompatiblePresets) {
      const url = new URL(preset.baseUrl);
      expect(preset.baseUrl.endsWith('/'), preset.id).toBe(false);
      if (localServers.has(preset.id)) expect(url.hostname, preset.id).toBe('localhost');
      else expect(url.protocol, preset.id).toBe('https:');
      expect(preset.apiKeyRequired, preset.id).toBe(!localServers.has(preset.id) || preset.id === 'modelmart');
    }
  });

  it('keeps quirks consistent: nothing both renamed and dropped, ranges ordered', () => {
    for (const preset of openAiCompatiblePresets) {
      for (const model of ['any-model', 'o3-mini', 'deepseek-reasoner', 'grok-4']) {
        const quirks = resolveQuirks(preset.vendor, preset.quirks, preset.modelFamilies ?? [], model);
        for (const renamed of quirks.renamedParameters.keys()) expect(quirks.unsupportedParameters.has(renamed), `${preset.id} ${renamed}`).toBe(false);
        for (const range of [quirks.temperatureRange, quirks.topPRange]) if (range !== undefined) expect(range.minimum).toBeLessThanOrEqual(range.maximum);
      }
    }
  });
});
