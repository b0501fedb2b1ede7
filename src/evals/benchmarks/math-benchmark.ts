// MATH (hendrycks, 5,000 test problems) and its MATH-500 subset, with the minerva 4-shot prompt.
import { z } from 'zod';
import { lastBoxedOnlyString, removeBoxed } from '../scorers/math-equivalence-scorer.js';
import { DatasetError, parseJsonLines, readDatasetBytes, type DatasetReaderOptions } from './dataset-files.js';
import type { BuiltPrompt } from './gsm8k-benchmark.js';
import { minervaMathExemplars } from './minerva-math-exemplars.js';

export const mathItemSchema = z.object({ problem: z.string(), solution: z.string(), level: z.string().optional(), type: z.string().optional() });
export const math500ItemSchema = z.object({
  problem: z.string(),
  solution: z.string(),
  answer: z.string(),
  subject: z.string(),
  level: z.number(),
  unique_id: z.string(),
});

export interface MathItem {
  readonly id: string;
  readonly problem: string;
  readonly solution: string;
  /** The reference answer: MATH-500's `answer`, or the content of the solution's last \boxed{}. */
  readonly answer: string | undefined;
}

export function parseMathTest(text: string, label: string): MathItem[] {
  return parseJsonLines(text, label).map((record, index) => {
    const parsed = mathItemSchema.safeParse(record);
    if (!parsed.success) throw new DatasetError(`${label} record ${index} lacks problem/solution`);
    const boxed = lastBoxedOnlyString(parsed.data.solution);
    return { id: String(index), problem: parsed.data.problem, solution: parsed.data.solution, answer: boxed === undefined ? undefined : removeBoxed(boxed) };
  });
}

export function parseMath500(text: string, label: string): MathItem[] {
  return parseJsonLines(text, label).map((record, index) => {
    const parsed = math500ItemSchema.safeParse(record);
    if (!parsed.success) throw new DatasetError(`${label} record ${index} is not a MATH-500 item`);
    return { id: parsed.data.unique_id, problem: parsed.data.problem, solution: parsed.data.solution, answer: parsed.data.answer };
  });
}

export function readMathTest(options: DatasetReaderOptions): MathItem[] {
  const relativePath = 'math/MATH_test_5000.jsonl';
  return parseMathTest(readDatasetBytes(options, relativePath).toString('utf8'), relativePath);
}

export function readMath500(options: DatasetReaderOptions): MathItem[] {
  const relativePath = 'math/math500_test.jsonl';
  return parseMath500(readDatasetBytes(options, relativePath).toString('utf8'), relativePath);
}

/** Zero-shot hendrycks setting: the problem alone; the answer is read from the last \boxed{}. */
export function buildMathPrompt(item: MathItem): BuiltPrompt {
  const question = `Problem:\n${item.problem}\n\nSolution:`;
  return { text: question, shots: [], question, stop: [] };
}

/** The minerva 4-shot format: "Problem:\n…\n\nSolution:" with answers ending "Final Answer: The final answer is X. I hope it is correct." */
export function buildMinervaMathPrompt(item: MathItem): BuiltPrompt {
  const shots = minervaMathExemplars.map((shot) => ({ question: `Problem:\n${shot.problem}\n\nSolution:`, answer: shot.solution }));
  const question = `Problem:\n${item.problem}\n\nSolution:`;
  const text = [...shots.map((shot) => `${shot.question} ${shot.answer}`), question].join('\n\n');
  return { text, shots, question, stop: ['Problem:'] };
}
