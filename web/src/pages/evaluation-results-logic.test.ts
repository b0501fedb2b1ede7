import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../api/api-types';
import { measuredPercent, metricRows, primaryMetric, publishedResult, resultBars, shortened, verdictOf } from './evaluation-results-logic';

const published = (benchmark: string, score: number, date: string): BenchmarkResult => ({ benchmark, score, setting: { shots: 8 }, source: { kind: 'published', citation_url: 'https://x.ai/blog/grok', published_at: date } });
const measured: BenchmarkResult = { benchmark: 'gsm8k', score: 70, setting: { shots: 5 }, source: { kind: 'measured', evaluation_run_id: 'evalrun_1' } };

describe('evaluation results', () => {
  it('names the metric a card shows for each benchmark', () => {
    expect(primaryMetric('gsm8k')).toEqual({ card: 'gsm8k', metric: 'strict_match' });
    expect(primaryMetric('gsm8k_cot')).toEqual({ card: 'gsm8k', metric: 'strict_match' });
    expect(primaryMetric('humaneval')).toEqual({ card: 'humaneval', metric: 'pass@1' });
    expect(primaryMetric('mmlu')).toEqual({ card: 'mmlu', metric: 'accuracy' });
    expect(primaryMetric('math500')).toEqual({ card: 'math500', metric: 'accuracy' });
  });

  it('lists every metric as a percentage, the card\'s first', () => {
    const rows = metricRows({ benchmark: 'gsm8k', n: 8, metrics: { flexible_extract: 0.625, strict_match: 0.5 } }, 'gsm8k');
    expect(rows).toEqual([
      { metric: 'strict_match', percent: 50, primary: true },
      { metric: 'flexible_extract', percent: 62.5, primary: false },
    ]);
    expect(metricRows({ benchmark: 'mmlu', n: 3, metrics: { macro_accuracy: 1 / 3, accuracy: 2 / 3 } }, 'mmlu').map((row) => row.percent)).toEqual([66.67, 33.33]);
  });

  it('takes the final metric once scored, else the running score', () => {
    const running = { benchmark: 'gsm8k', metrics: null, running_score: { correct: 3, scored: 4, value: 0.75 } };
    expect(measuredPercent(running)).toBe(75);
    expect(measuredPercent({ ...running, running_score: { correct: 0, scored: 0, value: null } })).toBeNull();
    expect(measuredPercent({ ...running, metrics: { benchmark: 'gsm8k', n: 8, metrics: { strict_match: 0.625 } } })).toBe(62.5);
  });

  it('finds the newest published score for the run\'s benchmark, never a measured one', () => {
    const card = [measured, published('gsm8k', 62.9, '2023-11-03'), published('gsm8k', 64, '2024-03-01'), published('mmlu', 73, '2023-11-03')];
    expect(publishedResult(card, 'gsm8k_cot')?.score).toBe(64);
    expect(publishedResult(card, 'mmlu')?.score).toBe(73);
    expect(publishedResult([measured], 'gsm8k')).toBeNull();
    expect(publishedResult(card, 'humaneval')).toBeNull();
  });

  it('draws the published score beside the card\'s metric only', () => {
    const rows = metricRows({ benchmark: 'gsm8k', n: 8, metrics: { flexible_extract: 0.625, strict_match: 0.5 } }, 'gsm8k');
    expect(resultBars(rows, published('gsm8k', 62.9, '2023-11-03'))).toEqual({ labels: ['strict_match', 'flexible_extract'], measured: [50, 62.5], published: [62.9, null] });
    expect(resultBars(rows, null).published).toEqual([null, null]);
  });

  it('marks items right, wrong or unscored with a symbol and a word', () => {
    expect(verdictOf(true)).toEqual({ symbol: '✓', word: 'correct' });
    expect(verdictOf(false)).toEqual({ symbol: '✗', word: 'wrong' });
    expect(verdictOf(null)).toEqual({ symbol: '—', word: 'unscored' });
  });

  it('shortens long questions on one line', () => {
    expect(shortened('What is\n 2 + 2?')).toBe('What is 2 + 2?');
    const long = shortened('word '.repeat(100), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });
});
