// The embedded engine behind the server: a private model with no other server, called with the
// openai SDK, on the tiny GGUF model the suite writes itself.
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTarget, temporaryFolder } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { writeTinyGguf } from './support/tiny-gguf-writer.js';

describe('embedded llama.cpp engine through the gateway', () => {
  const folder = temporaryFolder();
  let test: TestServer;
  let client: OpenAI;

  beforeAll(async () => {
    const modelPath = join(folder.path, 'tiny.gguf');
    await writeTinyGguf(modelPath);
    test = await startTestServer(sqliteTarget, {
      providers: [{ id: 'local', type: 'llama-cpp', threads: 1, models: [{ name: 'tiny', file: modelPath, contextWindow: 512 }] }],
    });
    client = new OpenAI({ baseURL: `${await test.listen()}/v1`, apiKey: test.userKey, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await test.close();
    folder.remove();
  });

  it('answers a chat request with usage counted by the model tokenizer', async () => {
    const completion = await client.chat.completions.create({
      model: 'local/tiny',
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 8,
      seed: 7,
      temperature: 0,
    });
    expect(completion.choices[0]?.finish_reason).toMatch(/stop|length/);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(8);
  });

  it('streams tokens with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'local/tiny',
      messages: [{ role: 'user', content: 'Stream' }],
      max_tokens: 6,
      stream: true,
      stream_options: { include_usage: true },
    });
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('answers an embeddings request with vectors of the model width', async () => {
    const embeddings = await client.embeddings.create({ model: 'local/tiny', input: ['alpha', 'beta'] });
    expect(embeddings.data).toHaveLength(2);
    expect(embeddings.data[0]?.embedding).toHaveLength(64);
    expect(embeddings.usage.prompt_tokens).toBeGreaterThan(0);
  });
});
