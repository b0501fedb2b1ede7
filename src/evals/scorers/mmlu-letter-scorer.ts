// Reads the chosen letter out of a generated MMLU answer: a chain-of-thought "Answer: X" (or
// "the answer is (X)") wins, else the letter the output starts with, as generative filters do.
import { invalidAnswer } from './gsm8k-scorer.js';

const statedAnswerPattern = /[Aa]nswer\s*(?:is)?\s*[:：]?\s*\(?\s*([ABCD])\b\)?/g;
const leadingLetterPattern = /^\s*[([]?\s*([ABCD])\s*(?:[).\]:]|$|\s)/;

export function extractMmluLetter(output: string): string {
  let stated: string | undefined;
  for (const match of output.matchAll(statedAnswerPattern)) stated = match[1];
  if (stated !== undefined) return stated;
  return leadingLetterPattern.exec(output)?.[1] ?? invalidAnswer;
}

export function scoreMmluOutput(output: string, answerLetter: string): boolean {
  return extractMmluLetter(output) === answerLetter;
}
