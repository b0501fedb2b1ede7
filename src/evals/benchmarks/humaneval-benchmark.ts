// HumanEval: 164 Python problems; the check program is prompt + completion + test + check(entry_point).
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { DatasetError, parseJsonLines, readDatasetBytes, type DatasetReaderOptions } from './dataset-files.js';

export const humanEvalProblemSchema = z.object({
  task_id: z.string(),
  prompt: z.string(),
  entry_point: z.string(),
  canonical_solution: z.string(),
  test: z.string(),
});
export type HumanEvalProblem = z.infer<typeof humanEvalProblemSchema>;

export const humanEvalPath = 'humaneval/HumanEval.jsonl.gz';

export function parseHumanEval(text: string, label: string): HumanEvalProblem[] {
  return parseJsonLines(text, label).map((record, index) => {
    const parsed = humanEvalProblemSchema.safeParse(record);
    if (!parsed.success) throw new DatasetError(`${label} record ${index} is not a HumanEval problem`);
    return parsed.data;
  });
}

export function readHumanEval(options: DatasetReaderOptions): HumanEvalProblem[] {
  const bytes = readDatasetBytes(options, humanEvalPath);
  let text: string;
  try {
    text = gunzipSync(bytes).toString('utf8');
  } catch {
    throw new DatasetError(`${humanEvalPath} under ${options.dataDirectory} is not a valid gzip file: it is truncated or altered`);
  }
  return parseHumanEval(text, humanEvalPath);
}

/** 0-shot completion: the model continues the function signature and docstring. */
export function buildHumanEvalPrompt(problem: HumanEvalProblem): string {
  return problem.prompt;
}

/** The instruct variant, for chat models that answer with a fenced code block. */
export function buildHumanEvalInstructPrompt(problem: HumanEvalProblem): string {
  return `Complete the following Python function. Reply with the whole function in one \`\`\`python code block.\n\n\`\`\`python\n${problem.prompt}\`\`\``;
}

/** The code of the first fenced block, or undefined when the output has none. */
export function extractFencedCode(output: string): string | undefined {
  const match = /```[ \t]*(?:python3?|py)?[ \t]*\r?\n([\s\S]*?)(?:```|$)/i.exec(output);
  return match?.[1];
}

/**
 * The program the sandbox runs. A fenced answer (instruct variant) is placed after the prompt so the
 * prompt's imports stay in scope and the model's full definition replaces the docstring-only one.
 */
export function buildHumanEvalCheckProgram(problem: HumanEvalProblem, output: string): string {
  const fenced = extractFencedCode(output);
  const completion = fenced === undefined ? output : `\n${fenced}`;
  return `${problem.prompt}${completion}\n${problem.test}\ncheck(${problem.entry_point})\n`;
}
