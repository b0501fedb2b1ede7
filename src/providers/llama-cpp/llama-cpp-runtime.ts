// The llama.cpp runtime, one per process. Starting it tests the native binary in a child
// process (about a second), and it holds no model memory, so every llama-cpp provider shares
// it and it lives as long as the process; models and contexts are what close() disposes.
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import type { Logger } from '../../core/index.js';

let runtime: Promise<Llama> | undefined;
const loggers = new Set<Logger>();

function logAt(level: LlamaLogLevel, message: string): void {
  // llama.cpp's messages are process-wide, so any one open provider's logger will do.
  const logger = loggers.values().next().value;
  const text = message.trim();
  if (logger === undefined || text === '') return;
  if (level === LlamaLogLevel.fatal || level === LlamaLogLevel.error) logger.error({ engine: 'llama.cpp' }, text);
  else if (level === LlamaLogLevel.warn) logger.warn({ engine: 'llama.cpp' }, text);
  else logger.debug({ engine: 'llama.cpp' }, text);
}

/** The shared runtime, allowed at least `threads` threads. */
export async function acquireLlamaRuntime(threads: number, logger: Logger | undefined): Promise<Llama> {
  if (logger !== undefined) loggers.add(logger);
  runtime ??= getLlama({
    gpu: false,
    // Only the prebuilt CPU binary from the npm package: never compile, never download.
    build: 'never',
    skipDownload: true,
    usePrebuiltBinaries: true,
    progressLogs: false,
    maxThreads: threads,
    logLevel: LlamaLogLevel.warn,
    logger: logAt,
  }).catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  const llama = await runtime;
  // maxThreads caps every context; a provider configured for more threads raises it.
  if (llama.maxThreads !== 0 && llama.maxThreads < threads) llama.maxThreads = threads;
  return llama;
}

export function releaseLlamaRuntimeLogger(logger: Logger | undefined): void {
  if (logger !== undefined) loggers.delete(logger);
}
