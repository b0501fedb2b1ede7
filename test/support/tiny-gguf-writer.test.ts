// The tiny GGUF model must be a real one: node-llama-cpp reads its metadata, loads it,
// formats chat with its template, generates tokens and embeds text.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, LlamaChat, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf, chatMlTemplate, writeTinyGguf } from './tiny-gguf-writer.js';

describe('tiny GGUF writer', () => {
  let directory: string;
  let llama: Llama;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tiny-gguf-'));
    llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, maxThreads: 1 });
  });
  afterAll(async () => {
    await llama.dispose();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes a GGUF v3 file under 1 MB, quickly and deterministically', () => {
    const started = performance.now();
    const model = buildTinyGguf();
    expect(performance.now() - started).toBeLessThan(500);
    expect(model.bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(model.bytes.readUInt32LE(4)).toBe(3);
    expect(model.bytes.length).toBeLessThan(1024 * 1024);
    expect(buildTinyGguf().bytes.equals(model.bytes)).toBe(true);
    expect(buildTinyGguf({ seed: 7 }).bytes.equals(model.bytes)).toBe(false);
  });

  it('loads in node-llama-cpp with its metadata, tokenizer and chat template', async () => {
    const written = await writeTinyGguf(join(directory, 'tiny.gguf'), { embeddingLength: 32, contextLength: 256 });
    const model = await llama.loadModel({ modelPath: written.filePath });
    try {
      expect(model.embeddingVectorSize).toBe(32);
      expect(model.trainContextSize).toBe(256);
      expect(model.fileInfo.metadata.tokenizer.chat_template).toBe(chatMlTemplate);
      const text = 'Any text, even ünïcödé, is bytes.';
      expect(model.detokenize(model.tokenize(text))).toBe(text);
      expect(model.getWarnings()).toEqual([]);
    } finally {
      await model.dispose();
    }
  });

  it('generates tokens through the chat template and produces embeddings', async () => {
    const written = await writeTinyGguf(join(directory, 'chat.gguf'));
    const model = await llama.loadModel({ modelPath: written.filePath });
    try {
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      const chat = new LlamaChat({ contextSequence: context.getSequence() });
      expect(chat.chatWrapper.wrapperName).toBe('ChatML');
      const result = await chat.generateResponse([{ type: 'user', text: 'Hello' }, { type: 'model', response: [] }], { maxTokens: 8, temperature: 0.8, seed: 3 });
      expect(result.metadata.stopReason).toBe('maxTokens');
      expect(result.response.length).toBeGreaterThan(0);
      await context.dispose();

      const embeddings = await model.createEmbeddingContext({ contextSize: 256, threads: 1 });
      const embedding = await embeddings.getEmbeddingFor('hello');
      expect(embedding.vector).toHaveLength(written.embeddingLength);
      expect(embedding.vector.every((value) => Number.isFinite(value))).toBe(true);
      await embeddings.dispose();
    } finally {
      await model.dispose();
    }
  });
});
