// The catalogue import through the real CLI: a fresh database gets the curated cards and the
// models.dev catalogue; a second run changes nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('modelmart models', () => {
  const folder = temporaryFolder();
  afterAll(() => folder.remove());
  const run = (args: string[]) => runCommand(['models', ...args, '--data', folder.path]);

  it('searches, shows, compares, exports and imports cards', async () => {
    const search = await run(['search', '--where', 'open_weights=true', '--where', 'commercial_use=yes', '--where', 'sort=benchmark:gsm8k']);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout.split('\n')[1]).toMatch(/^grok-1\s/);
    const show = JSON.parse((await run(['show', 'gpt-3.5-turbo', '--json'])).stdout) as { price_history: unknown[] };
    expect(show.price_history).toHaveLength(3);
    const compare = await run(['compare', 'grok-1', 'gpt-4']);
    expect(compare.stdout).toMatch(/gsm8k\s+62\.9\s+92/);
    const exported = await run(['export', 'grok-1', '--format', 'huggingface']);
    expect(exported.stdout).toContain('license: apache-2.0');
    const file = join(folder.path, 'README.md');
    writeFileSync(file, exported.stdout);
    const imported = await run(['import', file, '--format', 'huggingface', '--id', 'grok-1-again', '--vendor', 'xAI', '--release-date', '2024-03-17', '--context-window', '8192']);
    expect(imported.stdout.trim(), imported.stderr).toBe('created grok-1-again');
    const wrong = await run(['import', file, '--format', 'json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('is not JSON');
    const unknown = await run(['search', '--where', 'colour=blue']);
    expect(unknown.stderr.trim()).toBe("modelmart: Unknown filter 'colour'. Known filters: q, vendor, open_weights, mof_class, commercial_use, license, modality, min_context, max_input_price, max_output_price, currency, industry, scenario, deployment, min_score, sort, order, limit, cursor.");
  }, 60_000);
});

