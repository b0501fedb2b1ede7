import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from './dataset-files.js';
import { downloadMissingFiles } from './dataset-downloader.js';
import { readGsm8k } from './gsm8k-benchmark.js';

const scratch = mkdtempSync(join(tmpdir(), 'evals-download-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const testFile = Buffer.from('{"question": "1 + 1?", "answer": "#### 2"}\n');
const trainFile = Buffer.from('{"question": "2 + 2?", "answer": "#### 4"}\n');
const checksums = { 'gsm8k/test.jsonl': sha256Hex(testFile), 'gsm8k/train.jsonl': sha256Hex(trainFile) };
const sources = { 'gsm8k/test.jsonl': 'https://example.test/test.jsonl', 'gsm8k/train.jsonl': 'https://example.test/train.jsonl' };

describe('downloadMissingFiles', () => {
  it('fetches missing files once, verified, into the cache layout', async () => {
    const folder = join(scratch, 'cache');
    const fetched: string[] = [];
    const fetchFile = (url: string): Promise<Uint8Array> => {
      fetched.push(url);
      return Promise.resolve(url.endsWith('train.jsonl') ? trainFile : testFile);
    };
    expect(await downloadMissingFiles('gsm8k', { dataDirectory: folder, sources, checksums, fetchFile })).toEqual(['gsm8k/test.jsonl', 'gsm8k/train.jsonl']);
    expect(readGsm8k({ dataDirectory: folder, checksums }, 'test')).toEqual([{ question: '1 + 1?', answer: '#### 2' }]);
    expect(await downloadMissingFiles('gsm8k', { dataDirectory: folder, sources, checksums, fetchFile })).toEqual([]);
    expect(fetched).toHaveLength(2);
  });

  it('without network, names the path to fill by hand', async () => {
    const folder = join(scratch, 'offline');
    const fetchFile = (): Promise<Uint8Array> => Promise.reject(new Error('getaddrinfo ENOTFOUND'));
    await expect(downloadMissingFiles('gsm8k_cot', { dataDirectory: folder, sources, checksums, fetchFile })).rejects.toThrow(
      `place the file by hand at ${join(folder, 'gsm8k/test.jsonl')}`,
    );
  });

  it('keeps nothing of a download that fails its checksum', async () => {
    const folder = join(scratch, 'corrupt');
    const fetchFile = (): Promise<Uint8Array> => Promise.resolve(testFile.subarray(0, 10));
    await expect(downloadMissingFiles('gsm8k_cot', { dataDirectory: folder, sources, checksums, fetchFile })).rejects.toThrow(/fails its sha256 check/);
    expect(existsSync(join(folder, 'gsm8k/test.jsonl'))).toBe(false);
    expect(existsSync(join(folder, 'gsm8k')) ? readdirSync(join(folder, 'gsm8k')) : []).toEqual([]);
  });
});
