// `modelmart eval score` run as a user runs it: gold answers and canonical solutions score 100%.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGsm8k } from '../src/evals/benchmarks/gsm8k-benchmark.js';
import { readHumanEval } from '../src/evals/benchmarks/humaneval-benchmark.js';
import { readMath500, readMathTest } from '../src/evals/benchmarks/math-benchmark.js';
import { readMmlu } from '../src/evals/benchmarks/mmlu-benchmark.js';
import { namespacesAvailable } from '../src/evals/sandbox/python-sandbox.js';
import { runCommand } from './support/cli-process.js';
import { hasSharedDatasets, noticeIfNoDatasets, sharedDatasetsPath } from './support/shared-datasets.js';
import { temporaryFolder } from './support/test-databases.js';

const folder = temporaryFolder();
afterAll(() => folder.remove());

function writePredictions(name: string, records: readonly { id: string | number; output: string }[]): string {
  const path = join(folder.path, `${name}.jsonl`);
  writeFileSync(path, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return path;
}

async function score(benchmark: string, predictions: string, dataDirectory = sharedDatasetsPath): Promise<{ benchmark: string; n: number; metrics: Record<string, number> }> {
  const result = await runCommand(['eval', 'score', '--benchmark', benchmark, '--predictions', predictions, '--data-dir', dataDirectory, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { benchmark: string; n: number; metrics: Record<string, number> };
}

describe('modelmart eval score: bad input', () => {
  it('fails cleanly on an unknown benchmark, a missing file and unknown ids', async () => {
    const predictions = writePredictions('unknown', [{ id: 999_999, output: '#### 1' }]);
    const unknownBenchmark = await runCommand(['eval', 'score', '--benchmark', 'hellaswag', '--predictions', predictions]);
    expect(unknownBenchmark.code).toBe(1);
    expect(unknownBenchmark.stderr).toMatch(/unknown benchmark "hellaswag"/);
    const missingFile = await runCommand(['eval', 'score', '--benchmark', 'gsm8k', '--predictions', join(folder.path, 'absent.jsonl')]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/cannot read predictions file/);
    const emptyData = join(folder.path, 'no-data');
    const missingData = await runCommand(['eval', 'score', '--benchmark', 'gsm8k', '--predictions', predictions, '--data-dir', emptyData]);
    expect(missingData.code).toBe(1);
    expect(missingData.stderr).toContain(`gsm8k/test.jsonl not found under ${emptyData}`);
  });

  it('names a truncated dataset file', async () => {
    const data = join(folder.path, 'truncated');
    mkdirSync(join(data, 'gsm8k'), { recursive: true });
    writeFileSync(join(data, 'gsm8k/test.jsonl'), '{"question": "cut short", "answer": "#### 1"}\n');
    const result = await runCommand(['eval', 'score', '--benchmark', 'gsm8k', '--predictions', writePredictions('one', [{ id: 0, output: '1' }]), '--data-dir', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/gsm8k\/test\.jsonl fails its sha256 check/);
  });
});

noticeIfNoDatasets('eval score e2e');
if (!namespacesAvailable()) console.warn('[eval score e2e] SKIPPED the HumanEval sandbox run: no network namespace can be made here');
describe.skipIf(!hasSharedDatasets)('modelmart eval score: gold answers on the real datasets', () => {
  const options = { dataDirectory: sharedDatasetsPath };

  it('gsm8k: 1.0 strict and flexible over all 1,319 items; MODELMART_DATASETS works too', async () => {
    const predictions = writePredictions('gsm8k', readGsm8k(options, 'test').map((item, index) => ({ id: index, output: item.answer })));
    expect(await score('gsm8k', predictions)).toEqual({ benchmark: 'gsm8k', n: 1319, metrics: { strict_match: 1, flexible_extract: 1 }, invalid: 0 });
    const fromEnvironment = await runCommand(['eval', 'score', '--benchmark', 'gsm8k', '--predictions', predictions, '--json'], { MODELMART_DATASETS: sharedDatasetsPath });
    expect(fromEnvironment.code).toBe(0);
  });

  it('mmlu: 1.0 micro and macro over 14,042 items', async () => {
    const records = [...readMmlu(options, 'test').values()].flat().map((item) => ({ id: `${item.subject}/${item.row}`, output: item.answer }));
    const report = await score('mmlu', writePredictions('mmlu', records));
    expect(report.n).toBe(14_042);
    expect(report.metrics).toEqual({ accuracy: 1, macro_accuracy: 1 });
  });

  it('math (5,000) and math500 (500): reference solutions score 1.0', async () => {
    const math = writePredictions('math', readMathTest(options).map((item) => ({ id: Number(item.id), output: item.solution })));
    expect(await score('math', math)).toMatchObject({ n: 5000, metrics: { accuracy: 1 } });
    const subset = writePredictions('math500', readMath500(options).map((item) => ({ id: item.id, output: item.solution })));
    expect(await score('math500', subset)).toMatchObject({ n: 500, metrics: { accuracy: 1 } });
  });

  it.skipIf(!namespacesAvailable())('humaneval: the 164 canonical solutions give pass@1 = 1.0', async () => {
    const records = readHumanEval(options).map((problem) => ({ id: problem.task_id, output: problem.canonical_solution }));
    const report = await score('humaneval', writePredictions('humaneval', records));
    expect(report).toMatchObject({ n: 164, metrics: { 'pass@1': 1 } });
  }, 120_000);
});

describe('duplicate ids through the CLI', () => {
  it.skipIf(!hasSharedDatasets)('refuses two predictions for one gsm8k item', async () => {
    const predictions = writePredictions('duplicate', [{ id: 0, output: '#### 1' }, { id: 0, output: '#### 2' }]);
    const result = await runCommand(['eval', 'score', '--benchmark', 'gsm8k', '--predictions', predictions, '--data-dir', sharedDatasetsPath]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/"0" appears on lines 1 and 2/);
  });
});

describe.skipIf(!hasSharedDatasets)('modelmart eval prompt', () => {
  it('prints the exact completion prompt, or the chat turns, of one item', async () => {
    const text = await runCommand(['eval', 'prompt', '--benchmark', 'mmlu', '--id', 'anatomy/0', '--data-dir', sharedDatasetsPath]);
    expect(text.code).toBe(0);
    expect(text.stdout.startsWith('The following are multiple choice questions (with answers) about anatomy.\n\n')).toBe(true);
    expect(text.stdout.endsWith('\nAnswer:\n')).toBe(true);
    const chat = await runCommand(['eval', 'prompt', '--benchmark', 'gsm8k', '--id', '0', '--chat', '--data-dir', sharedDatasetsPath]);
    const parsed = JSON.parse(chat.stdout) as { messages: { role: string }[]; stop: string[] };
    expect(parsed.messages.map((message) => message.role)).toEqual([...Array.from({ length: 5 }, () => ['user', 'assistant']).flat(), 'user']);
    expect(parsed.stop).toContain('Question:');
    const unknown = await runCommand(['eval', 'prompt', '--benchmark', 'math', '--id', '5000', '--data-dir', sharedDatasetsPath]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/math has no item with id "5000"/);
  });
});
