// GSM8K answer extraction and exact match, with the filters and normalisation of lm-evaluation-harness.
export const invalidAnswer = '[invalid]';

const strictPattern = /#### (-?[0-9.,]+)/;
const chainOfThoughtStrictPattern = /The answer is (-?[0-9.,]+)./;
const flexiblePattern = /(-?[$0-9.,]{2,})|(-?[0-9]+)/g;

/** `strict-match`: the first "#### N"; "[invalid]" when the output never states one. */
export function extractStrictAnswer(output: string): string {
  return strictPattern.exec(output)?.[1]?.trim() ?? invalidAnswer;
}

/** `strict-match` of gsm8k_cot: the first "The answer is N." */
export function extractChainOfThoughtStrictAnswer(output: string): string {
  return chainOfThoughtStrictPattern.exec(output)?.[1]?.trim() ?? invalidAnswer;
}

/** `flexible-extract`: the last number-like run; of its two alternatives, whichever matched. */
export function extractFlexibleAnswer(output: string): string {
  let last: RegExpExecArray | undefined;
  for (const match of output.matchAll(flexiblePattern)) last = match;
  if (last === undefined) return invalidAnswer;
  return (last[1] ?? last[2] ?? '').trim();
}

// Applied in this order to prediction and reference alike; Python's `$` also matches before a final newline.
const ignoredPatterns: readonly RegExp[] = [/,/g, /\$/g, /[\s\S]*#### /g, /\.(?=\n?$)/g];

/** The harness's exact_match normalisation with ignore_case on and ignore_punctuation off. */
export function normalizeForExactMatch(text: string): string {
  let normalized = text;
  for (const pattern of ignoredPatterns) normalized = normalized.replace(pattern, '');
  return normalized.toLowerCase();
}

export function gsm8kExactMatch(extracted: string, reference: string): boolean {
  return normalizeForExactMatch(extracted) === normalizeForExactMatch(reference);
}

export interface Gsm8kScore {
  readonly strictMatch: boolean;
  readonly flexibleExtract: boolean;
  readonly strictAnswer: string;
  readonly flexibleAnswer: string;
}

/** Scores one output against the dataset's full reference answer (reasoning then "#### N"). */
export function scoreGsm8kOutput(output: string, referenceAnswer: string): Gsm8kScore {
  const strictAnswer = extractStrictAnswer(output);
  const flexibleAnswer = extractFlexibleAnswer(output);
  return {
    strictMatch: gsm8kExactMatch(strictAnswer, referenceAnswer),
    flexibleExtract: gsm8kExactMatch(flexibleAnswer, referenceAnswer),
    strictAnswer,
    flexibleAnswer,
  };
}
