import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { CredentialVault } from '../accounts/index.js';
import type { Database } from '../storage/index.js';
import { runCli } from './cli-program.js';

const providers = [{ id: 'vendor', type: 'openai-compatible' as const }];

describe.each(testDatabaseTargets())('modelmart credentials on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let locationArguments: string[];
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');

  async function run(args: readonly string[], environment: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true));
    try {
      const code = await runCli(['node', 'modelmart', 'credentials', ...args, ...locationArguments]);
      return { code, stdout, stderr };
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
  }

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    const configPath = join(opened.options.dataDir, 'modelmart.yaml');
    writeFileSync(configPath, 'providers:\n  - id: vendor\n    type: openai-compatible\n    baseUrl: http://127.0.0.1:9/v1\n    models: [model-a]\n');
    locationArguments = ['--config', configPath, '--data', opened.options.dataDir, ...(opened.options.databaseUrl === undefined ? [] : ['--database-url', opened.options.databaseUrl])];
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(async () => dispose());

  it('stores a key read from an environment variable, and audits it as the local operator', async () => {
    const result = await run(['set', 'vendor', '--from-env', 'VENDOR_KEY_FOR_TEST', '--json'], { MODELMART_ENCRYPTION_KEY: oldKey, VENDOR_KEY_FOR_TEST: 'sk-cli-secret-1' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ provider: 'vendor', configured: true, updated_by: 'local-operator' });
    expect(result.stdout).not.toContain('sk-cli-secret-1');
    const vault = new CredentialVault({ database, security: { encryptionKey: oldKey, previousEncryptionKeys: [] }, providers });
    expect(await vault.reveal('vendor')).toBe('sk-cli-secret-1');
    const audit = await database.kysely.selectFrom('audit_log').selectAll().where('target_type', '=', 'provider_credential').execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'provider.credential.create', actor_key_id: 'local-operator' })]);
    expect(JSON.stringify(audit)).not.toContain('sk-cli-secret-1');
  });

  it('needs exactly one source, an existing variable and an encryption key', async () => {
    expect((await run(['set', 'vendor'], { MODELMART_ENCRYPTION_KEY: oldKey })).stderr).toContain('exactly one of --from-env');
    expect((await run(['set', 'vendor', '--from-env', 'UNSET_VARIABLE_FOR_TEST'], { MODELMART_ENCRYPTION_KEY: oldKey })).stderr).toContain('UNSET_VARIABLE_FOR_TEST is not set');
    const withoutKey = await run(['set', 'vendor', '--from-env', 'VENDOR_KEY_FOR_TEST'], { VENDOR_KEY_FOR_TEST: 'sk-x' });
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toContain('MODELMART_ENCRYPTION_KEY');
  });

  it('rotates to a new key while the old one is listed as previous; afterwards the old key is not needed', async () => {
    const result = await run(['rotate'], { MODELMART_ENCRYPTION_KEY: newKey, MODELMART_PREVIOUS_ENCRYPTION_KEYS: oldKey });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/re-encrypted 1 credential\(s\) with key [0-9a-f]{8}; 0 already used it/);
    const vault = new CredentialVault({ database, security: { encryptionKey: newKey, previousEncryptionKeys: [] }, providers });
    expect(await vault.reveal('vendor')).toBe('sk-cli-secret-1');
  });
});
