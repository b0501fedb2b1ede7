// The benchmark table xAI published when it announced Grok-1 (3 November 2023), kept as
// published results with their citation. The compare endpoint reproduces it.
import type { BenchmarkResult } from '../model-card-schema.js';

const citation = { kind: 'published', citation_url: 'https://x.ai/blog/grok', published_at: '2023-11-03' } as const;


/** Model id → score (or undefined where the announcement shows a dash). */
const rows: readonly { benchmark: string; setting: BenchmarkResult['setting']; scores: Readonly<Record<string, number | undefined>>; settingOverrides?: Readonly<Record<string, BenchmarkResult['setting']>> }[] = [
  {
    benchmark: 'gsm8k',
    setting: { shots: 8 },
    scores: { 'grok-0': 56.8, 'llama-2-70b': 56.8, 'inflection-1': 62.9, 'gpt-3.5-turbo': 57.1, 'grok-1': 62.9, 'palm-2': 80.7, 'claude-2': 88.0, 'gpt-4': 92.0 },
  },
  {
    benchmark: 'mmlu',
    setting: { shots: 5 },
    scores: { 'grok-0': 65.7, 'llama-2-70b': 68.9, 'inflection-1': 72.7, 'gpt-3.5-turbo': 70.0, 'grok-1': 73.0, 'palm-2': 78.0, 'claude-2': 75.0, 'gpt-4': 86.4 },
    settingOverrides: { 'claude-2': { shots: 5, chain_of_thought: true } },
  },
  {
    benchmark: 'humaneval',
    setting: { shots: 0, pass_at: 1 },
    scores: { 'grok-0': 39.7, 'llama-2-70b': 29.9, 'inflection-1': 35.4, 'gpt-3.5-turbo': 48.1, 'grok-1': 63.2, 'palm-2': undefined, 'claude-2': 70, 'gpt-4': 67 },
  },
  {
    benchmark: 'math',
    setting: { shots: 4 },
    scores: { 'grok-0': 15.7, 'llama-2-70b': 13.5, 'inflection-1': 16.0, 'gpt-3.5-turbo': 23.5, 'grok-1': 23.9, 'palm-2': 34.6, 'claude-2': undefined, 'gpt-4': 42.5 },
  },
];


/** The eight models of the table, in the announcement's column order. */
export const grokTableModels = ['grok-0', 'llama-2-70b', 'inflection-1', 'gpt-3.5-turbo', 'grok-1', 'palm-2', 'claude-2', 'gpt-4'] as const;

export function grokAnnouncementResults(modelId: string): BenchmarkResult[] {
  const results: BenchmarkResult[] = [];
  for (const row of rows) {
    const score = row.scores[modelId];
    if (score === undefined) continue;
    results.push({ benchmark: row.benchmark, score, setting: row.settingOverrides?.[modelId] ?? row.setting, source: citation });
  }
  return results;
}
