// GSM8K as lm-evaluation-harness defines it: the `gsm8k` task (5 train-split shots, "Question: …\nAnswer:")
// and `gsm8k_cot` (8 fixed chain-of-thought exemplars, "Q: …\nA:").
import { z } from 'zod';
import { DatasetError, parseJsonLines, readDatasetBytes, type DatasetReaderOptions } from './dataset-files.js';
import { gsm8kChainOfThoughtExemplars } from './gsm8k-cot-exemplars.js';

export const gsm8kItemSchema = z.object({ question: z.string(), answer: z.string() });
export type Gsm8kItem = z.infer<typeof gsm8kItemSchema>;

export type Gsm8kSplit = 'test' | 'train';

export function parseGsm8k(text: string, label: string): Gsm8kItem[] {
  return parseJsonLines(text, label).map((record, index) => {
    const parsed = gsm8kItemSchema.safeParse(record);
    if (!parsed.success) throw new DatasetError(`${label} record ${index} lacks question/answer`);
    return parsed.data;
  });
}

export function readGsm8k(options: DatasetReaderOptions, split: Gsm8kSplit): Gsm8kItem[] {
  const relativePath = `gsm8k/${split}.jsonl`;
  return parseGsm8k(readDatasetBytes(options, relativePath).toString('utf8'), relativePath);
}

/** The number after "#### " in a reference answer (commas kept, as in the file). */
export function gsm8kGoldNumber(answer: string): string {
  const marker = answer.lastIndexOf('####');
  return marker < 0 ? answer.trim() : answer.slice(marker + 4).trim();
}

/** Generation stops on these, as in the harness, so the model does not write the next question. */
export const gsm8kStopSequences = ['Question:', '</s>', '<|im_end|>'] as const;
export const gsm8kChainOfThoughtStopSequences = ['Q:', '</s>', '<|im_end|>'] as const;

export interface FewShotTurn {
  readonly question: string;
  readonly answer: string;
}

/** One prompt in two shapes: plain text for completion models, alternating turns for chat models. */
export interface BuiltPrompt {
  readonly text: string;
  readonly shots: readonly FewShotTurn[];
  readonly question: string;
  readonly stop: readonly string[];
}

function joinShots(shots: readonly FewShotTurn[], question: string): string {
  return [...shots.map((shot) => `${shot.question} ${shot.answer}`), question].join('\n\n');
}

/** `gsm8k`: the first five train items as shots (a fixed, reproducible choice), greedy decoding. */
export function buildGsm8kPrompt(item: Gsm8kItem, trainItems: readonly Gsm8kItem[], shotCount = 5): BuiltPrompt {
  const shots = trainItems.slice(0, shotCount).map((shot) => ({ question: `Question: ${shot.question}\nAnswer:`, answer: shot.answer }));
  const question = `Question: ${item.question}\nAnswer:`;
  return { text: joinShots(shots, question), shots, question, stop: gsm8kStopSequences };
}

/** `gsm8k_cot`: the eight exemplars of Wei et al., each ending "The answer is N.". */
export function buildGsm8kChainOfThoughtPrompt(item: Gsm8kItem): BuiltPrompt {
  const shots = gsm8kChainOfThoughtExemplars.map((shot) => ({ question: `Q: ${shot.question}\nA:`, answer: shot.answer }));
  const question = `Q: ${item.question}\nA:`;
  return { text: joinShots(shots, question), shots, question, stop: gsm8kChainOfThoughtStopSequences };
}
