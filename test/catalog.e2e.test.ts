// The catalogue import through the real CLI: a fresh database gets the curated cards and the
// models.dev catalogue; a second run changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli-process.js';
import { temporaryFolder } from './support/test-databases.js';

describe('modelmart catalog import tokenlens', () => {
  const folder = temporaryFolder();
  afterAll(() => folder.remove());

  it('imports once, then finds everything unchanged', async () => {
    expect((await runCommand(['catalog', 'import', 'tokenlens', '--help'])).stdout).toContain('Usage: modelmart catalog import tokenlens');
    const first = await runCommand(['catalog', 'import', 'tokenlens', '--data', folder.path, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout) as { created: number; skipped: unknown[] };
    expect(created.created).toBeGreaterThan(500);
    const second = await runCommand(['catalog', 'import', 'tokenlens', '--data', folder.path]);
    expect(second.stdout).toMatch(/0 created, 0 updated, \d+ unchanged/);
  }, 60_000);
});
