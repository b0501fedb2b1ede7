// MMLU in the original layout (`<subject>_{dev,test}.csv`, no header) and the hendrycks 5-shot prompt.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './csv-reader.js';
import { DatasetError, readDatasetBytes, type DatasetReaderOptions } from './dataset-files.js';
import type { BuiltPrompt, FewShotTurn } from './gsm8k-benchmark.js';
import { mmluSubjects } from './mmlu-subjects.js';

export const mmluChoiceLetters = ['A', 'B', 'C', 'D'] as const;
export type MmluLetter = (typeof mmluChoiceLetters)[number];

export interface MmluItem {
  readonly subject: string;
  /** 0-based row in the subject's csv file. */
  readonly row: number;
  readonly question: string;
  readonly choices: readonly [string, string, string, string];
  readonly answer: MmluLetter;
}

export type MmluSplit = 'dev' | 'test';

function isLetter(value: string): value is MmluLetter {
  return (mmluChoiceLetters as readonly string[]).includes(value);
}

export function parseMmluCsv(text: string, subject: string, label: string): MmluItem[] {
  return parseCsv(text, label).map((fields, row) => {
    const [question, a, b, c, d, answer] = fields;
    if (fields.length !== 6 || question === undefined || a === undefined || b === undefined || c === undefined || d === undefined) {
      throw new DatasetError(`${label} row ${row} has ${fields.length} fields, expected 6 (question,A,B,C,D,answer)`);
    }
    const letter = (answer ?? '').trim();
    if (!isLetter(letter)) throw new DatasetError(`${label} row ${row} has answer "${answer ?? ''}", expected A-D`);
    return { subject, row, question, choices: [a, b, c, d], answer: letter };
  });
}

export function readMmluSubject(options: DatasetReaderOptions, subject: string, split: MmluSplit): MmluItem[] {
  const relativePath = `mmlu/${split}/${subject}_${split}.csv`;
  return parseMmluCsv(readDatasetBytes(options, relativePath).toString('utf8'), subject, relativePath);
}

/** Every subject of a split, checking first that the folder holds all 57 files. */
export function readMmlu(options: DatasetReaderOptions, split: MmluSplit): Map<string, MmluItem[]> {
  const missing = mmluSubjects.filter((subject) => !existsSync(join(options.dataDirectory, 'mmlu', split, `${subject}_${split}.csv`)));
  if (missing.length > 0) {
    throw new DatasetError(`mmlu/${split} under ${options.dataDirectory} lacks ${missing.length} subject file(s), first ${missing[0] ?? ''}_${split}.csv`);
  }
  return new Map(mmluSubjects.map((subject) => [subject, readMmluSubject(options, subject, split)]));
}

export function formatMmluSubject(subject: string): string {
  return subject.split('_').join(' ');
}

function formatMmluQuestion(item: MmluItem): string {
  const choices = item.choices.map((choice, index) => `\n${mmluChoiceLetters[index] ?? ''}. ${choice}`).join('');
  return `${item.question}${choices}\nAnswer:`;
}

/** The hendrycks prompt: a subject header, k dev examples with their letter, then the question ending "Answer:". */
export function buildMmluPrompt(item: MmluItem, devItems: readonly MmluItem[], shotCount = 5): BuiltPrompt {
  const header = `The following are multiple choice questions (with answers) about ${formatMmluSubject(item.subject)}.\n\n`;
  const shots: FewShotTurn[] = devItems.slice(0, shotCount).map((shot) => ({ question: formatMmluQuestion(shot), answer: shot.answer }));
  const question = formatMmluQuestion(item);
  const text = header + shots.map((shot) => `${shot.question} ${shot.answer}\n\n`).join('') + question;
  // Chat models see the header once, on the first user turn.
  const chatShots = shots.map((shot, index) => (index === 0 ? { ...shot, question: header + shot.question } : shot));
  return { text, shots: chatShots, question: shots.length === 0 ? header + question : question, stop: ['\n'] };
}
