import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryFolder } from '../../test/support/test-databases.js';
import { ConfigError, loadConfig } from './config-loader.js';

const folders: { remove(): void }[] = [];
afterEach(() => folders.splice(0).forEach((folder) => folder.remove()));

function writeConfig(text: string): string {
  const folder = temporaryFolder();
  folders.push(folder);
  const path = join(folder.path, 'modelmart.yaml');
  writeFileSync(path, text);
  return path;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('works with no file and no environment', () => {
    const config = loadConfig({ environment: {}, workingDirectory: temporaryFolder().path });
    expect(config.server).toEqual({ host: '0.0.0.0', port: 8080, bodyLimit: 10 * 1024 * 1024, shutdownTimeoutMs: 30_000, trustProxy: false });
    expect(config.storage.dataDir).toBe('./data');
    expect(config.providers).toEqual([]);
  });

  it('reads the file, resolves ${ENV} references and defaults', () => {
    const path = writeConfig(`
server: { port: 9000, bodyLimit: 2mb }
providers:
  - id: local-vllm
    type: openai-compatible
    baseUrl: \${VLLM_URL:-http://127.0.0.1:8000/v1}
    apiKey: \${VLLM_API_KEY}
    models: [qwen2.5-7b-instruct]
routes:
  - model: chat-default
    targets: [{ provider: local-vllm, model: qwen2.5-7b-instruct }]
`);
    const config = loadConfig({ configPath: path, environment: { VLLM_API_KEY: 'secret-value' } });
    expect(config.server.port).toBe(9000);
    expect(config.server.bodyLimit).toBe(2 * 1024 * 1024);
    expect(config.providers[0]?.baseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(config.providers[0]?.apiKey).toBe('secret-value');
    expect(config.routes[0]?.strategy).toBe('fallback');
  });

  it('names the key path and what was expected for a bad URL', () => {
    const path = writeConfig(`
providers:
  - { id: a, type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" }
  - { id: b, type: openai-compatible, baseUrl: "localhost:11434" }
`);
    expect(problemsOf(() => loadConfig({ configPath: path, environment: {} }))).toEqual([
      'providers[1].baseUrl: expected a URL, got "localhost:11434"',
    ]);
  });

  it('reports a typo with a suggestion', () => {
    const path = writeConfig('server:\n  prot: 8081\n');
    expect(problemsOf(() => loadConfig({ configPath: path, environment: {} }))).toEqual(['server: unknown key "prot" (did you mean "port"?)']);
  });

  it('refuses secrets written into the file and unset references', () => {
    const path = writeConfig(`
providers:
  - { id: a, type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1", apiKey: sk-live-123 }
  - { id: b, type: anthropic, apiKey: "\${ANTHROPIC_API_KEY}" }
`);
    const problems = problemsOf(() => loadConfig({ configPath: path, environment: {} }));
    expect(problems[0]).toMatch(/^providers\[0\]\.apiKey: write secrets as an environment reference/);
    expect(problems[1]).toBe('providers[1].apiKey: environment variable ANTHROPIC_API_KEY is not set');
  });

  it('checks that route targets name a configured provider', () => {
    const path = writeConfig(`
providers: [{ id: openai, type: openai-compatible }]
routes: [{ model: x, targets: [{ provider: opnai, model: gpt-4o }] }]
`);
    expect(problemsOf(() => loadConfig({ configPath: path, environment: {} }))).toEqual([
      'routes[0].targets[0].provider: no provider with id "opnai" (known: openai)',
    ]);
  });

  it('lets environment variables and flags override the file', () => {
    const path = writeConfig('server: { port: 9000 }\nstorage: { dataDir: ./file-data }\n');
    const config = loadConfig({
      configPath: path,
      environment: { MODELMART_PORT: '9100', DATABASE_URL: 'postgres://db/modelmart', MODELMART_ADMIN_KEY: 'mm-0123456789abcdef' },
      overrides: { dataDir: './flag-data' },
    });
    expect(config.server.port).toBe(9100);
    expect(config.storage).toEqual({ dataDir: './flag-data', databaseUrl: 'postgres://db/modelmart' });
    expect(config.auth.adminKey).toBe('mm-0123456789abcdef');
  });

  it('explains invalid YAML, a missing file and a bad port variable', () => {
    expect(problemsOf(() => loadConfig({ configPath: writeConfig('server: [unclosed'), environment: {} }))[0]).toMatch(/^not valid YAML/);
    expect(problemsOf(() => loadConfig({ configPath: '/nonexistent/modelmart.yaml', environment: {} }))[0]).toMatch(/file not found/);
    expect(problemsOf(() => loadConfig({ environment: { MODELMART_PORT: 'eighty' }, workingDirectory: temporaryFolder().path }))).toEqual([
      'MODELMART_PORT: expected a port number from 0 to 65535, got "eighty"',
    ]);
  });

  it('rejects an unknown provider type and a wrong log level', () => {
    const path = writeConfig('providers: [{ id: x, type: opanai }]\nlogging: { level: loud }\n');
    const problems = problemsOf(() => loadConfig({ configPath: path, environment: {} }));
    expect(problems).toContain('logging.level: expected one of "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent", got "loud"');
    expect(problems.some((problem) => problem.startsWith('providers[0].type: expected one of "openai-compatible"'))).toBe(true);
  });
});
