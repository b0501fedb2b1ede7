// One item's own score, for the running score shown while a run goes: the same extraction the
// final scoring uses. The run's reported metrics are computed at the end by the offline scorer.
import { extractChainOfThoughtStrictAnswer, extractStrictAnswer, gsm8kExactMatch } from '../scorers/gsm8k-scorer.js';
import { extractMathAnswer, scoreMathOutput } from '../scorers/math-equivalence-scorer.js';
import { extractMmluLetter } from '../scorers/mmlu-letter-scorer.js';
import type { BenchmarkName } from '../score/benchmark-scorer.js';
import type { ItemScore } from './evaluation-run-schema.js';

/** The output cut at the first stop sequence, as the harness does when the upstream ignores one. */
export function truncateAtStop(text: string, stop: readonly string[]): string {
  let end = text.length;
  for (const sequence of stop) {
    const index = text.indexOf(sequence);
    if (sequence !== '' && index >= 0 && index < end) end = index;
  }
  return text.slice(0, end);
}

export function scoreItem(benchmark: BenchmarkName, output: string, reference: string | null): ItemScore {
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot': {
      const answer = benchmark === 'gsm8k' ? extractStrictAnswer(output) : extractChainOfThoughtStrictAnswer(output);
      return { correct: reference !== null && gsm8kExactMatch(answer, reference), answer };
    }
    case 'mmlu': {
      const answer = extractMmluLetter(output);
      return { correct: answer === reference, answer };
    }
    case 'math':
    case 'math500':
      return { correct: scoreMathOutput(output, reference ?? undefined), answer: extractMathAnswer(output) };
    case 'humaneval':
      // Running code is left to the final scoring, which runs every sample in the sandbox.
      return { correct: null };
  }
}
