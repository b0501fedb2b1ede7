// Fills the download cache on first use: each official file is fetched from its public source,
// verified by sha256 and only then moved into place. Without network the error names the file to
// place by hand. MMLU ships as one archive of 57×2 CSV files, so it is placed by hand.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatasetError, knownChecksums, sha256Hex } from './dataset-files.js';

export const officialSources: Readonly<Record<string, string>> = {
  'gsm8k/test.jsonl': 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
  'gsm8k/train.jsonl': 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/train.jsonl',
  'humaneval/HumanEval.jsonl.gz': 'https://github.com/openai/human-eval/raw/master/data/HumanEval.jsonl.gz',
  'math/MATH_test_5000.jsonl': 'https://raw.githubusercontent.com/ZubinGou/math-evaluation-harness/main/data/math/test.jsonl',
  'math/math500_test.jsonl': 'https://raw.githubusercontent.com/openai/prm800k/main/prm800k/math_splits/test.jsonl',
};

export const filesByBenchmark: Readonly<Record<string, readonly string[]>> = {
  gsm8k: ['gsm8k/test.jsonl', 'gsm8k/train.jsonl'],
  gsm8k_cot: ['gsm8k/test.jsonl'],
  humaneval: ['humaneval/HumanEval.jsonl.gz'],
  math: ['math/MATH_test_5000.jsonl'],
  math500: ['math/math500_test.jsonl'],
  mmlu: [],
};

export interface DownloadOptions {
  readonly dataDirectory: string;
  readonly sources?: Readonly<Record<string, string>>;
  readonly checksums?: Readonly<Record<string, string>>;
  readonly fetchFile?: (url: string) => Promise<Uint8Array>;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Downloads the benchmark's files that are not in the cache yet; present files are left to the checksum check on read. */
export async function downloadMissingFiles(benchmark: string, options: DownloadOptions): Promise<string[]> {
  const downloaded: string[] = [];
  for (const relativePath of filesByBenchmark[benchmark] ?? []) {
    const target = join(options.dataDirectory, relativePath);
    if (existsSync(target)) continue;
    const url = (options.sources ?? officialSources)[relativePath];
    if (url === undefined) continue;
    let bytes: Uint8Array;
    try {
      bytes = await (options.fetchFile ?? fetchBytes)(url);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatasetError(`cannot download ${url} (${reason}); place the file by hand at ${target}`);
    }
    const expected = (options.checksums ?? knownChecksums)[relativePath];
    const actual = sha256Hex(Buffer.from(bytes));
    if (expected !== undefined && actual !== expected) {
      throw new DatasetError(`download of ${url} fails its sha256 check (expected ${expected}, got ${actual}); place the official file by hand at ${target}`);
    }
    mkdirSync(dirname(target), { recursive: true });
    // Written beside the target and renamed, so an interrupted download never looks complete.
    const partial = `${target}.partial-${process.pid}`;
    try {
      writeFileSync(partial, bytes);
      renameSync(partial, target);
    } finally {
      rmSync(partial, { force: true });
    }
    downloaded.push(relativePath);
  }
  return downloaded;
}
