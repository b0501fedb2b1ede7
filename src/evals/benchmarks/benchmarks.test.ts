import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedDatasets, noticeIfNoDatasets, sharedDatasetsPath } from '../../../test/support/shared-datasets.js';
import { DatasetError, readDatasetBytes, resolveDataDirectory, sha256Hex } from './dataset-files.js';
import { buildGsm8kChainOfThoughtPrompt, buildGsm8kPrompt, gsm8kGoldNumber, readGsm8k } from './gsm8k-benchmark.js';
import { buildHumanEvalCheckProgram, extractFencedCode, parseHumanEval, readHumanEval } from './humaneval-benchmark.js';
import { buildMinervaMathPrompt, readMath500, readMathTest } from './math-benchmark.js';
import { buildMmluPrompt, readMmlu, readMmluSubject } from './mmlu-benchmark.js';
import { mmluCategoryBySubject, mmluSubjects } from './mmlu-subjects.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/datasets', import.meta.url));
const unverified = { dataDirectory: fixtures, checksums: {} };
const scratch = mkdtempSync(join(tmpdir(), 'evals-benchmarks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('data directory and checksums', () => {
  it('prefers the option, then MODELMART_DATASETS, then the user cache', () => {
    expect(resolveDataDirectory('/data/x', { MODELMART_DATASETS: '/data/y' })).toBe('/data/x');
    expect(resolveDataDirectory(undefined, { MODELMART_DATASETS: '/data/y' })).toBe('/data/y');
    expect(resolveDataDirectory(undefined, { XDG_CACHE_HOME: '/cache' })).toBe('/cache/modelmart/datasets');
  });

  it('rejects a truncated file naming it, and names the folder to fill when a file is missing', () => {
    const folder = join(scratch, 'truncated');
    mkdirSync(join(folder, 'gsm8k'), { recursive: true });
    const full = readFileSync(join(fixtures, 'gsm8k/test.jsonl'));
    const checksums = { 'gsm8k/test.jsonl': sha256Hex(full) };
    writeFileSync(join(folder, 'gsm8k/test.jsonl'), full.subarray(0, full.length - 20));
    expect(() => readGsm8k({ dataDirectory: folder, checksums }, 'test')).toThrow(/gsm8k\/test\.jsonl fails its sha256 check.*truncated/);
    expect(() => readDatasetBytes({ dataDirectory: folder }, 'gsm8k/train.jsonl')).toThrow(DatasetError);
    expect(() => readDatasetBytes({ dataDirectory: folder }, 'gsm8k/train.jsonl')).toThrow(new RegExp(`not found under ${folder}`));
  });

  it('verifies the official checksum by default', () => {
    expect(() => readGsm8k({ dataDirectory: fixtures }, 'test')).toThrow(/sha256/);
  });
});

describe('gsm8k', () => {
  const train = readGsm8k(unverified, 'train');
  const [item] = readGsm8k(unverified, 'test');

  it('reads items and the gold number', () => {
    expect(item?.question).toContain('Mia earns');
    expect(gsm8kGoldNumber(item?.answer ?? '')).toBe('2,400');
  });

  it('builds the few-shot prompt with train answers, and the 8-exemplar chain-of-thought prompt', () => {
    if (item === undefined) throw new Error('fixture');
    const prompt = buildGsm8kPrompt(item, train);
    expect(prompt.text).toBe(
      `Question: ${train[0]?.question ?? ''}\nAnswer: ${train[0]?.answer ?? ''}\n\nQuestion: ${train[1]?.question ?? ''}\nAnswer: ${train[1]?.answer ?? ''}\n\nQuestion: ${item.question}\nAnswer:`,
    );
    expect(prompt.shots).toHaveLength(2);
    expect(prompt.stop).toContain('Question:');
    const chain = buildGsm8kChainOfThoughtPrompt(item);
    expect(chain.shots).toHaveLength(8);
    expect(chain.text.startsWith('Q: There are 15 trees in the grove.')).toBe(true);
    expect(chain.text.endsWith(`The answer is 8.\n\nQ: ${item.question}\nA:`)).toBe(true);
  });
});

describe('mmlu', () => {
  it('parses quoted fields with commas, doubled quotes and newlines', () => {
    const items = readMmluSubject(unverified, 'abstract_algebra', 'test');
    expect(items).toHaveLength(2);
    expect(items[0]?.choices).toEqual(['Z_2, trivially', 'Z_4', 'Z_3', 'S_3\nspanning two lines",really"']);
    expect(items[0]?.answer).toBe('B');
    expect(items[1]).toMatchObject({ row: 1, answer: 'A' });
  });

  it('builds the hendrycks prompt', () => {
    const [item] = readMmluSubject(unverified, 'abstract_algebra', 'test');
    const dev = readMmluSubject(unverified, 'abstract_algebra', 'dev');
    if (item === undefined) throw new Error('fixture');
    const prompt = buildMmluPrompt(item, dev);
    expect(prompt.text).toBe(
      'The following are multiple choice questions (with answers) about abstract algebra.\n\n' +
        'What is 2 + 2?\nA. 3\nB. 4\nC. 5\nD. 6\nAnswer: B\n\n' +
        'Which is a prime, "quoted" number?\nA. 4\nB. 6\nC. 7\nD. 9\nAnswer: C\n\n' +
        'Which group has order 4?\nA. Z_2, trivially\nB. Z_4\nC. Z_3\nD. S_3\nspanning two lines",really"\nAnswer:',
    );
    expect(prompt.shots[0]?.question.startsWith('The following are')).toBe(true);
  });

  it('knows 57 subjects in four categories and reports a missing subject file', () => {
    expect(mmluSubjects).toHaveLength(57);
    expect(new Set(mmluCategoryBySubject.values())).toEqual(new Set(['stem', 'humanities', 'social_sciences', 'other']));
    expect(() => readMmlu(unverified, 'test')).toThrow(/lacks 56 subject file/);
  });

  it('rejects a truncated csv', () => {
    const folder = join(scratch, 'mmlu');
    mkdirSync(join(folder, 'mmlu/test'), { recursive: true });
    writeFileSync(join(folder, 'mmlu/test/anatomy_test.csv'), '"What is,A,B');
    expect(() => readMmluSubject({ dataDirectory: folder }, 'anatomy', 'test')).toThrow(/anatomy_test\.csv ends inside a quoted field/);
  });
});

describe('humaneval', () => {
  const text = readFileSync(fileURLToPath(new URL('../__fixtures__/humaneval-problems.jsonl', import.meta.url)), 'utf8');
  const problems = parseHumanEval(text, 'fixture');

  it('reads the gzip file and builds the check program', () => {
    mkdirSync(join(scratch, 'he/humaneval'), { recursive: true });
    const gzipped = gzipSync(Buffer.from(text));
    writeFileSync(join(scratch, 'he/humaneval/HumanEval.jsonl.gz'), gzipped);
    const read = readHumanEval({ dataDirectory: join(scratch, 'he'), checksums: { 'humaneval/HumanEval.jsonl.gz': sha256Hex(gzipped) } });
    expect(read.map((problem) => problem.task_id)).toEqual(['Fixture/0', 'Fixture/1']);
    const problem = problems[0];
    if (problem === undefined) throw new Error('fixture');
    expect(buildHumanEvalCheckProgram(problem, problem.canonical_solution)).toBe(`${problem.prompt}${problem.canonical_solution}\n${problem.test}\ncheck(add)\n`);
  });

  it('takes the code of a fenced answer (instruct variant)', () => {
    expect(extractFencedCode('Here:\n```python\ndef add(a, b):\n    return a + b\n```\nDone')).toBe('def add(a, b):\n    return a + b\n');
    expect(extractFencedCode('    return a + b\n')).toBeUndefined();
    const problem = problems[0];
    if (problem === undefined) throw new Error('fixture');
    expect(buildHumanEvalCheckProgram(problem, '```\ndef add(a, b):\n    return a + b\n```')).toContain('"""\n\ndef add(a, b):\n    return a + b\n\n');
  });
});

describe('math', () => {
  it('reads both files and takes the gold answer from the last box or the answer field', () => {
    expect(readMathTest(unverified).map((item) => [item.id, item.answer])).toEqual([['0', '\\dfrac{3}{4}'], ['1', '9']]);
    expect(readMath500(unverified).map((item) => [item.id, item.answer])).toEqual([['test/algebra/1.json', '9'], ['test/prealgebra/2.json', '\\frac{3}{4}']]);
  });

  it('builds the minerva 4-shot prompt', () => {
    const [item] = readMathTest(unverified);
    if (item === undefined) throw new Error('fixture');
    const prompt = buildMinervaMathPrompt(item);
    expect(prompt.shots).toHaveLength(4);
    expect(prompt.text.startsWith('Problem:\nFind the domain of the expression')).toBe(true);
    expect(prompt.text.endsWith(`I hope it is correct.\n\nProblem:\n${item.problem}\n\nSolution:`)).toBe(true);
  });
});

noticeIfNoDatasets('benchmarks');
describe.skipIf(!hasSharedDatasets)('the real datasets', () => {
  const options = { dataDirectory: resolveDataDirectory(sharedDatasetsPath) };
  it('read with verified checksums and the documented counts', () => {
    expect(readGsm8k(options, 'test')).toHaveLength(1319);
    expect(readGsm8k(options, 'train')).toHaveLength(7473);
    expect(readHumanEval(options)).toHaveLength(164);
    const test = readMmlu(options, 'test');
    expect([...test.values()].reduce((sum, items) => sum + items.length, 0)).toBe(14_042);
    expect([...readMmlu(options, 'dev').values()].every((items) => items.length === 5)).toBe(true);
    const math = readMathTest(options);
    expect(math).toHaveLength(5000);
    expect(math.every((item) => item.answer !== undefined)).toBe(true);
    expect(readMath500(options)).toHaveLength(500);
  });
});
