// The security section from the file and the environment: encryption keys only by reference.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config-loader.js';

describe('security configuration', () => {
  const folder = mkdtempSync(join(tmpdir(), 'modelmart-config-'));
  const file = join(folder, 'modelmart.yaml');
  // No modelmart.yaml here: only the environment counts.
  const empty = mkdtempSync(join(folder, 'empty-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses an encryption key written in the file, current or previous', () => {
    writeFileSync(file, 'security:\n  encryptionKey: literal\n');
    expect(() => loadConfig({ configPath: file, environment: {} })).toThrow(/security\.encryptionKey: write secrets as an environment reference/);
    writeFileSync(file, 'security:\n  previousEncryptionKeys: ["literal"]\n');
    expect(() => loadConfig({ configPath: file, environment: {} })).toThrow(/previousEncryptionKeys.*environment reference/);
  });

  it('takes the keys from MODELMART_ENCRYPTION_KEY, MODELMART_PREVIOUS_ENCRYPTION_KEYS or references', () => {
    writeFileSync(file, 'security:\n  previousEncryptionKeys: ["${OLD_KEY}"]\n');
    expect(loadConfig({ configPath: file, environment: { OLD_KEY: 'old', MODELMART_ENCRYPTION_KEY: 'new' } }).security).toEqual({ encryptionKey: 'new', previousEncryptionKeys: ['old'] });
    expect(loadConfig({ environment: { MODELMART_PREVIOUS_ENCRYPTION_KEYS: 'first, second,' }, workingDirectory: empty }).security.previousEncryptionKeys).toEqual(['first', 'second']);
    expect(loadConfig({ environment: {}, workingDirectory: empty }).security).toEqual({ previousEncryptionKeys: [] });
  });
});
