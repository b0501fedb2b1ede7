import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildItemPrompt } from './item-prompt-builder.js';

const scratch = mkdtempSync(join(tmpdir(), 'evals-prompts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
cpSync(fileURLToPath(new URL('../__fixtures__/datasets', import.meta.url)), scratch, { recursive: true });
const options = { dataDirectory: scratch, checksums: {} };

describe('buildItemPrompt', () => {
  it('builds each benchmark and setting from its id', () => {
    expect(buildItemPrompt('gsm8k', '1', 'default', options).text.endsWith('Question: Sam had 10 marbles and lost 4. How many are left?\nAnswer:')).toBe(true);
    expect(buildItemPrompt('gsm8k_cot', '1', 'default', options).shots).toHaveLength(8);
    expect(buildItemPrompt('mmlu', 'abstract_algebra/1', 'default', options).text.endsWith('Is 1 a unit?\nA. Yes\nB. No\nC. Sometimes\nD. Never\nAnswer:')).toBe(true);
    expect(buildItemPrompt('math', '1', 'minerva', options).shots).toHaveLength(4);
    expect(buildItemPrompt('math500', 'test/algebra/1.json', 'default', options).text).toBe('Problem:\nCompute $3^2$.\n\nSolution:');
  });

  it('names an unknown id', () => {
    expect(() => buildItemPrompt('gsm8k', '5', 'default', options)).toThrow(/gsm8k has no item with id "5"/);
    expect(() => buildItemPrompt('mmlu', 'cooking/0', 'default', options)).toThrow(/no item with id "cooking\/0"/);
    expect(() => buildItemPrompt('math500', 'x', 'default', options)).toThrow(/no item/);
  });

  it('gives HumanEval the completion prompt with Codex stops, or the instruct prompt', () => {
    mkdirSync(join(scratch, 'humaneval'), { recursive: true });
    const problems = readFileSync(fileURLToPath(new URL('../__fixtures__/humaneval-problems.jsonl', import.meta.url)));
    writeFileSync(join(scratch, 'humaneval/HumanEval.jsonl.gz'), gzipSync(problems));
    const completion = buildItemPrompt('humaneval', 'Fixture/1', 'default', options);
    expect(completion.text).toBe('def root(x: float) -> float:\n    """Square root of x."""\n');
    expect(completion.stop).toContain('\ndef');
    const instruct = buildItemPrompt('humaneval', 'Fixture/1', 'instruct', options);
    expect(instruct.text).toContain('```python\ndef root(x: float)');
    expect(instruct.stop).toEqual([]);
    writeFileSync(join(scratch, 'humaneval/HumanEval.jsonl.gz'), problems);
    expect(() => buildItemPrompt('humaneval', 'Fixture/0', 'default', options)).toThrow(/not a valid gzip/);
  });
});
