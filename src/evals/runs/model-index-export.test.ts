// model-index YAML from completed runs: the newest run of each benchmark and setting, metrics as percentages.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunRow } from './evaluation-repository.js';
import { exportModelIndex } from './model-index-export.js';

function run(id: string, benchmark: string, setting: string, finishedAt: string, metrics: Record<string, number>, status = 'completed'): RunRow {
  return {
    id,
    benchmark,
    setting,
    model: 'local/qwen',
    parameters: '{}',
    status,
    total_items: 1,
    done_items: 1,
    failed_items: 0,
    metrics: JSON.stringify({ benchmark, n: 1, metrics }),
    cost: 0,
    cost_currency: null,
    catalog_model_id: null,
    finalized_by: 'w',
    error: null,
    created_at: finishedAt,
    started_at: finishedAt,
    finished_at: finishedAt,
    created_by: null,
  };
}

describe('exportModelIndex', () => {
  it('writes one result a benchmark and setting, the newest run, in the Hugging Face shape', () => {
    const text = exportModelIndex(
      [
        run('evalrun_a', 'gsm8k', 'default', '2026-01-01T00:00:00Z', { strict_match: 0.5, flexible_extract: 0.52 }),
        run('evalrun_b', 'gsm8k', 'default', '2026-02-01T00:00:00Z', { strict_match: 0.61234, flexible_extract: 0.65 }),
        run('evalrun_c', 'humaneval', 'instruct', '2026-02-01T00:00:00Z', { 'pass@1': 0.25 }),
        run('evalrun_d', 'mmlu', 'default', '2026-03-01T00:00:00Z', { accuracy: 0.7 }, 'failed'),
      ],
      { name: 'Qwen', sourceUrl: 'https://mm.example.com/' },
    );
    expect(text.startsWith('---\n')).toBe(true);
    const document = parse(text.replace(/^---\n/, '').replace(/---\n$/, '')) as { 'model-index': { name: string; results: { task: { type: string }; dataset: { name: string; type: string }; metrics: { type: string; value: number; name: string }[]; source: { name: string; url: string } }[] }[] };
    const [entry] = document['model-index'];
    expect(entry?.name).toBe('Qwen');
    expect(entry?.results).toHaveLength(2);
    const gsm8k = entry?.results[0];
    expect(gsm8k).toMatchObject({ task: { type: 'text-generation' }, dataset: { name: 'GSM8K', type: 'gsm8k' }, source: { name: 'Modelmart evaluation run evalrun_b', url: 'https://mm.example.com/admin/v1/evaluations/evalrun_b' } });
    expect(gsm8k?.metrics).toEqual([
      { type: 'strict_match', value: 61.23, name: 'strict_match (5-shot)' },
      { type: 'flexible_extract', value: 65, name: 'flexible_extract (5-shot)' },
    ]);
    expect(entry?.results[1]).toMatchObject({ dataset: { type: 'openai_humaneval' }, metrics: [{ type: 'pass@1', value: 25, name: 'pass@1 (0-shot, instruct)' }] });
  });
});
