import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type ProviderConfig } from '../../config/index.js';
import { cachedModelPath, hubFileUrl, parseHubUri } from './llama-cpp-model-download.js';
import { readModelSpecs } from './llama-cpp-model-specs.js';

function provider(models: ProviderConfig['models']): ProviderConfig {
  return { id: 'local', type: 'llama-cpp', models };
}

describe('llama-cpp model specs', () => {
  it('reads file and hf: models', () => {
    const specs = readModelSpecs(
      provider([
        { name: 'small', file: 'models/small.gguf' },
        { name: 'qwen', uri: 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf', embedding: true },
      ]),
    );
    expect(specs[0]?.source).toEqual({ kind: 'file', path: resolve('models/small.gguf') });
    expect(specs[1]?.source.kind).toBe('hub');
    expect(specs[1]?.embedding).toBe(true);
  });

  it('stops start-up with one line per bad entry', () => {
    const read = () => readModelSpecs(provider(['bare-name', { name: 'both', file: 'a.gguf', uri: 'hf:a/b/c.gguf' }, { name: 'odd', uri: 'hf:only-owner.gguf' }]));
    expect(read).toThrow(ConfigError);
    try {
      read();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
      expect((error as ConfigError).problems[2]).toContain('hf:<owner>/<repo>/<file>.gguf');
    }
  });
});

describe('hf: URIs', () => {
  it('parses owner, repository, file path and revision', () => {
    expect(parseHubUri('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')).toEqual({
      owner: 'Qwen',
      repository: 'Qwen2.5-0.5B-Instruct-GGUF',
      filePath: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
      revision: 'main',
    });
    expect(parseHubUri('hf:org/repo/sub/dir/model.Q4.gguf#v1.0')).toMatchObject({ filePath: 'sub/dir/model.Q4.gguf', revision: 'v1.0' });
  });

  it('refuses what is not a GGUF file or could escape the cache', () => {
    for (const uri of ['hf:org/repo', 'hf:org/repo/model.bin', 'hf:org/repo/../../etc/x.gguf', 'hf:org/../x.gguf', 'https://x/y.gguf', 'hf:org/repo/a.gguf#../x']) {
      expect(parseHubUri(uri), uri).toBeUndefined();
    }
  });

  it('resolves to the hub resolve URL and a cache path per repository and revision', () => {
    const reference = parseHubUri('hf:org/repo/sub/model.gguf#dev');
    if (reference === undefined) throw new Error('expected a reference');
    expect(hubFileUrl(reference, 'https://hub.example/')).toBe('https://hub.example/org/repo/resolve/dev/sub/model.gguf');
    expect(cachedModelPath(reference, '/cache')).toBe(resolve('/cache/hf/org/repo/dev/sub/model.gguf'));
  });
});
