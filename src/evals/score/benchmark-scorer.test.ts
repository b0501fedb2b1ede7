import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { mmluSubjects } from '../benchmarks/mmlu-subjects.js';
import { namespacesAvailable } from '../sandbox/python-sandbox.js';
import { parseBenchmarkName, scorePredictions } from './benchmark-scorer.js';
import { parsePredictions, PredictionsError } from './prediction-file-reader.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/datasets', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'evals-score-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// The hand-written fixtures are not the official files, so their checksums are not checked here.
const options = { dataDirectory: scratch, checksums: {} };
if (!namespacesAvailable()) console.warn('[benchmark-scorer] SKIPPED the HumanEval sandbox test: no network namespace can be made here');

cpSync(fixtures, scratch, { recursive: true });
for (const subject of mmluSubjects) {
  if (subject === 'abstract_algebra') continue;
  writeFileSync(join(scratch, 'mmlu/test', `${subject}_test.csv`), `Question about ${subject}?,w,x,y,z,D\n`);
}
const problemsText = readFileSync(fileURLToPath(new URL('../__fixtures__/humaneval-problems.jsonl', import.meta.url)), 'utf8');
mkdirSync(join(scratch, 'humaneval'), { recursive: true });
writeFileSync(join(scratch, 'humaneval/HumanEval.jsonl.gz'), gzipSync(Buffer.from(problemsText)));

function lines(records: readonly unknown[]): ReturnType<typeof parsePredictions> {
  return parsePredictions(records.map((record) => JSON.stringify(record)).join('\n'), 'predictions.jsonl');
}

describe('predictions input', () => {
  it('names the bad line, accepts numeric ids and treats a missing output as empty', () => {
    expect(() => parsePredictions('{"id": 0, "output": "1"}\n{not json}\n', 'p.jsonl')).toThrow(/p\.jsonl line 2 is not valid JSON/);
    expect(() => parsePredictions('{"output": "1"}\n', 'p.jsonl')).toThrow(/line 1 needs/);
    expect(() => parsePredictions('\n', 'p.jsonl')).toThrow(/holds no predictions/);
    expect(lines([{ id: 3, output: null }])).toEqual([{ id: '3', output: '', line: 1 }]);
  });

  it('rejects an unknown benchmark', () => {
    expect(() => parseBenchmarkName('hellaswag')).toThrow(/unknown benchmark "hellaswag"/);
  });
});

describe('scorePredictions', () => {
  it('gsm8k: gold answers score 1 on both filters; empty and answerless outputs are invalid, not crashes', async () => {
    const gold = await scorePredictions('gsm8k', lines([{ id: 0, output: 'She earns 2400.\n#### 2,400' }, { id: '1', output: '10 - 4 = 6\n#### 6' }]), options);
    expect(gold).toEqual({ benchmark: 'gsm8k', n: 2, metrics: { strict_match: 1, flexible_extract: 1 }, invalid: 0 });
    const weak = await scorePredictions('gsm8k', lines([{ id: 0, output: '' }, { id: 1, output: 'I think it is 6' }]), options);
    expect(weak).toEqual({ benchmark: 'gsm8k', n: 2, metrics: { strict_match: 0, flexible_extract: 0.5 }, invalid: 1 });
    const chain = await scorePredictions('gsm8k_cot', lines([{ id: 1, output: '10 - 4 = 6. The answer is 6.' }]), options);
    expect(chain.metrics).toEqual({ strict_match: 1, flexible_extract: 1 });
  });

  it('rejects unknown ids and duplicate single-sample ids', async () => {
    await expect(scorePredictions('gsm8k', lines([{ id: 7, output: '1' }]), options)).rejects.toThrow(/unknown to gsm8k: "7" \(line 1\)/);
    await expect(scorePredictions('gsm8k', lines([{ id: 0, output: '1' }, { id: 0, output: '2' }]), options)).rejects.toThrow(PredictionsError);
    await expect(scorePredictions('mmlu', lines([{ id: 'anatomy/5', output: 'A' }]), options)).rejects.toThrow(/unknown to mmlu/);
  });

  it('mmlu: micro and macro accuracy, per subject and per category', async () => {
    const report = await scorePredictions(
      'mmlu',
      lines([{ id: 'abstract_algebra/0', output: 'B' }, { id: 'abstract_algebra/1', output: 'Answer: C' }, { id: 'anatomy/0', output: 'D' }, { id: 'virology/0', output: '' }]),
      options,
    );
    expect(report.n).toBe(4);
    expect(report.metrics).toEqual({ accuracy: 0.5, macro_accuracy: 0.5 });
    expect(report.subjects).toEqual({ abstract_algebra: 0.5, anatomy: 1, virology: 0 });
    expect(report.categories).toEqual({ other: 0, stem: 2 / 3 });
    expect(report.invalid).toBe(1);
  });

  it('math and math500: gold solutions score 1; an unboxed answer is invalid', async () => {
    const math = await scorePredictions('math', lines([{ id: 0, output: 'So $\\boxed{3/4}$' }, { id: 1, output: 'nine' }]), options);
    expect(math).toEqual({ benchmark: 'math', n: 2, metrics: { accuracy: 0.5 }, invalid: 1 });
    const subset = await scorePredictions('math500', lines([{ id: 'test/prealgebra/2.json', output: 'It is $\\boxed{\\frac34}$.' }]), options);
    expect(subset.metrics).toEqual({ accuracy: 1 });
  });

  it.skipIf(!namespacesAvailable())('humaneval: pass@1 and pass@k from several samples per task, run in the sandbox', async () => {
    const samples = [
      { id: 'Fixture/0', output: '    return a + b\n' },
      { id: 'Fixture/0', output: '    return a - b\n' },
      { id: 'Fixture/1', output: '    return math.sqrt(x)\n' },
      { id: 'Fixture/1', output: '    while True: pass\n' },
    ];
    const report = await scorePredictions('humaneval', lines(samples), { ...options, sandbox: { concurrency: 2 } });
    expect(report).toMatchObject({ benchmark: 'humaneval', n: 2, samples: 4, metrics: { 'pass@1': 0.5 }, outcomes: { passed: 2, failed: 1, 'timed out': 1 } });
  });
});
