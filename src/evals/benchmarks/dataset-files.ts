// Locates benchmark files on disk and verifies them by sha256 before anything reads them,
// so a truncated or altered copy fails loudly instead of silently changing scores.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ModelmartError } from '../../core/index.js';

/** Published checksums of the official files (paths relative to the data directory). */
export const knownChecksums: Readonly<Record<string, string>> = {
  'gsm8k/test.jsonl': '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14',
  'gsm8k/train.jsonl': '17f347dc51477c50d4efb83959dbb7c56297aba886e5544ee2aaed3024813465',
  'humaneval/HumanEval.jsonl.gz': 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef',
  'math/MATH_test_5000.jsonl': '3371949f33dd702d04b43fddd7d53a028de0aaca0e76abb1b875a050297b3aa4',
  'math/math500_test.jsonl': '35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132',
};

export class DatasetError extends ModelmartError {
  constructor(message: string) {
    super(400, message, { code: 'dataset_error' });
    this.name = 'DatasetError';
  }
}

/** The folder laid out like the official downloads: option, then MODELMART_DATASETS, then the user cache. */
export function resolveDataDirectory(option: string | undefined, environment: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== '') return resolve(option);
  const fromEnvironment = environment['MODELMART_DATASETS'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return resolve(fromEnvironment);
  const cacheHome = environment['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  return join(cacheHome, 'modelmart', 'datasets');
}

export interface DatasetReaderOptions {
  readonly dataDirectory: string;
  /** Checksums by relative path; files not listed are read unverified (MMLU has no single published sum). */
  readonly checksums?: Readonly<Record<string, string>>;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads one dataset file as bytes, verifying its checksum when one is known. */
export function readDatasetBytes(options: DatasetReaderOptions, relativePath: string): Buffer {
  const path = join(options.dataDirectory, relativePath);
  if (!existsSync(path)) {
    throw new DatasetError(
      `dataset file ${relativePath} not found under ${options.dataDirectory}; download it there (or pass --data-dir / set MODELMART_DATASETS)`,
    );
  }
  const bytes = readFileSync(path);
  const expected = (options.checksums ?? knownChecksums)[relativePath];
  if (expected !== undefined) {
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new DatasetError(
        `dataset file ${path} fails its sha256 check (expected ${expected}, got ${actual}): it is truncated or altered; download it again`,
      );
    }
  }
  return bytes;
}

/** Parses JSON lines, naming the file and line of the first bad one. */
export function parseJsonLines(text: string, label: string): unknown[] {
  const records: unknown[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      throw new DatasetError(`${label} line ${index + 1} is not valid JSON`);
    }
  }
  return records;
}
