// Pulls a GGUF file named by an `hf:<owner>/<repo>/<path>.gguf[#revision]` URI from a Hugging
// Face hub into a local cache, once. The download goes to a temporary file beside the target,
// its size is checked against what the hub announced and its first bytes against the GGUF
// magic, and only then is it renamed into place: a crash or a cut connection never leaves a
// half file where the engine would load it.
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { randomToken } from '../../core/index.js';
import type { DownloadProgress } from './llama-cpp-download-progress.js';

export const defaultHubBaseUrl = 'https://huggingface.co';

export interface HubModelReference {
  readonly owner: string;
  readonly repository: string;
  /** Path of the file inside the repository, `/`-separated. */
  readonly filePath: string;
  readonly revision: string;
}

export class ModelDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelDownloadError';
  }
}

const safeSegment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses `hf:owner/repo/file.gguf` (optionally `#revision`); undefined when it is not one. */
export function parseHubUri(uri: string): HubModelReference | undefined {
  const match = /^hf:([^/#]+)\/([^/#]+)\/([^#]+?)(?:#([^#]+))?$/.exec(uri.trim());
  if (match === null) return undefined;
  const [, owner = '', repository = '', filePath = '', revision = 'main'] = match;
  const segments = filePath.split('/');
  // Every segment is checked, so a URI can never point the cache outside its folder.
  if (![owner, repository, ...segments].every((segment) => safeSegment.test(segment) && segment !== '..')) return undefined;
  if (!filePath.toLowerCase().endsWith('.gguf')) return undefined;
  if (!/^[A-Za-z0-9._/-]+$/.test(revision) || revision.split('/').includes('..')) return undefined;
  return { owner, repository, filePath, revision };
}

/** The hub's download address for the file, as its `resolve` endpoint serves it. */
export function hubFileUrl(reference: HubModelReference, hubBaseUrl: string): string {
  const base = hubBaseUrl.replace(/\/+$/, '');
  const path = reference.filePath.split('/').map(encodeURIComponent).join('/');
  return `${base}/${reference.owner}/${reference.repository}/resolve/${encodeURIComponent(reference.revision)}/${path}`;
}

/** Where the file lives in the cache: one folder per repository and revision. */
export function cachedModelPath(reference: HubModelReference, cacheDirectory: string): string {
  return join(cacheDirectory, 'hf', reference.owner, reference.repository, reference.revision.replaceAll('/', '--'), ...reference.filePath.split('/'));
}

export interface HubDownloadOptions {
  readonly hubBaseUrl: string;
  readonly cacheDirectory: string;
  /** A hub access token for gated or private repositories. */
  readonly token?: string | undefined;
  readonly progress?: DownloadProgress | undefined;
  readonly signal?: AbortSignal | undefined;
}

async function existingFileSize(path: string): Promise<number | undefined> {
  try {
    const information = await stat(path);
    return information.isFile() ? information.size : undefined;
  } catch {
    return undefined;
  }
}

async function startsWithGgufMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    return bytesRead === 4 && magic.toString('latin1') === 'GGUF';
  } finally {
    await handle.close();
  }
}

function describeHttpFailure(status: number, url: string): string {
  if (status === 401 || status === 403) return `the hub refused ${url} (HTTP ${status}); a gated or private model needs an access token in HF_TOKEN`;
  if (status === 404) return `the hub has no file at ${url} (HTTP 404); check the owner, repository, file name and revision`;
  return `the hub answered HTTP ${status} for ${url}`;
}

function announcedSize(headers: Headers): number | undefined {
  // The hub sends x-linked-size for files stored out of git; content-length otherwise.
  for (const name of ['x-linked-size', 'content-length']) {
    const value = headers.get(name);
    if (value !== null && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}

/** Returns the cached file's path, downloading it first when the cache does not have it. */
export async function ensureHubModel(reference: HubModelReference, options: HubDownloadOptions): Promise<string> {
  const target = cachedModelPath(reference, options.cacheDirectory);
  const cachedSize = await existingFileSize(target);
  if (cachedSize !== undefined && cachedSize > 0) return target;

  const url = hubFileUrl(reference, options.hubBaseUrl);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.partial-${randomToken(6)}`;
  try {
    const response = await fetch(url, {
      headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
      redirect: 'follow',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }).catch((error: unknown) => {
      throw new ModelDownloadError(`could not reach the hub at ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new ModelDownloadError(describeHttpFailure(response.status, url));
    }
    const expectedSize = announcedSize(response.headers);
    let received = 0;
    options.progress?.start(expectedSize);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        options.progress?.update(received);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(temporary));
    } finally {
      options.progress?.stop();
    }
    if (expectedSize !== undefined && received !== expectedSize) {
      throw new ModelDownloadError(`the download of ${url} stopped at ${received} of ${expectedSize} bytes`);
    }
    if (!(await startsWithGgufMagic(temporary))) {
      throw new ModelDownloadError(`${url} is not a GGUF file (it does not start with the GGUF magic bytes)`);
    }
    await rename(temporary, target);
    return target;
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if (error instanceof ModelDownloadError) throw error;
    throw new ModelDownloadError(`the download of ${url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
