import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { AuditLog } from '../accounts/index.js';
import type { Database } from '../storage/index.js';
import { runCli } from './cli-program.js';

describe.each(testDatabaseTargets())('modelmart gpts on $name', { timeout: 60_000 }, (target) => {
  let database: Database;
  let dataDir: string;
  let dispose: () => Promise<void>;
  let locationArguments: string[];

  async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true));
    try {
      const code = await runCli(['node', 'modelmart', ...args, ...locationArguments]);
      return { code, stdout, stderr };
    } finally {
      vi.restoreAllMocks();
    }
  }

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dataDir = opened.options.dataDir;
    dispose = opened.dispose;
    locationArguments = ['--data', opened.options.dataDir, ...(opened.options.databaseUrl === undefined ? [] : ['--database-url', opened.options.databaseUrl])];
  }, 60_000);
  afterAll(async () => dispose());

  it('creates, publishes, lists, shows, exports and imports GPTs', async () => {
    const instructionsFile = join(dataDir, 'instructions.md');
    writeFileSync(instructionsFile, 'You review pull requests.\nBe kind.');
    const created = await run(['gpts', 'create', '--name', 'Code Reviewer', '--base-model', 'openai/gpt-4o-mini', '--instructions-file', instructionsFile, '--starter', 'Review this diff', '--starter', 'Explain this error', '--category', 'programming', '--visibility', 'public', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const gpt = JSON.parse(created.stdout) as { id: string; slug: string; organisation_id: string; project_id: string; creator_key_id: string; instructions: string; conversation_starters: string[] };
    expect(gpt).toMatchObject({ slug: 'code-reviewer', organisation_id: 'org_default', project_id: 'proj_default', creator_key_id: 'local-operator', instructions: 'You review pull requests.\nBe kind.', conversation_starters: ['Review this diff', 'Explain this error'] });

    const published = await run(['gpts', 'publish', 'code-reviewer']);
    expect(published.stdout).toContain('published code-reviewer version 1; call it as gpt:code-reviewer');
    const taken = await run(['gpts', 'create', '--name', 'Again', '--slug', 'code-reviewer', '--base-model', 'chat-default']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('"code-reviewer" is taken');
    const badCategory = await run(['gpts', 'create', '--name', 'Odd', '--base-model', 'chat-default', '--category', 'gardening']);
    expect(badCategory.code).toBe(1);
    expect(badCategory.stderr).toContain("'category'");

    const listed = await run(['gpts', 'list']);
    expect(listed.stdout).toMatch(/code-reviewer\s+Code Reviewer\s+openai\/gpt-4o-mini\s+public\s+v1\s+org_default/);
    const shown = JSON.parse((await run(['gpts', 'show', 'code-reviewer', '--json'])).stdout) as { latest_version: number; versions: { version: number }[] };
    expect(shown.latest_version).toBe(1);
    expect(shown.versions.map((version) => version.version)).toEqual([1]);
    expect((await run(['gpts', 'show', 'code-reviewer'])).stdout).toContain('Be kind.');

    const exportFile = join(dataDir, 'reviewer.yaml');
    expect((await run(['gpts', 'export', 'code-reviewer', '--format', 'yaml', '--output', exportFile])).code).toBe(0);
    expect(parseYaml(readFileSync(exportFile, 'utf8'))).toMatchObject({ format: 'modelmart.gpt', slug: 'code-reviewer', latest_version: 1, category: 'programming' });
    const printed = JSON.parse((await run(['gpts', 'export', 'code-reviewer'])).stdout) as { instructions: string };
    expect(printed.instructions).toBe('You review pull requests.\nBe kind.');

    const organisation = JSON.parse((await run(['orgs', 'create', '--name', 'Imports Inc', '--json'])).stdout) as { id: string };
    const imported = await run(['gpts', 'import', exportFile, '--slug', 'code-reviewer-copy', '--org', organisation.id, '--json']);
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ slug: 'code-reviewer-copy', organisation_id: organisation.id, latest_version: null, instructions: 'You review pull requests.\nBe kind.' });

    const lobeChatFile = join(dataDir, 'agent.json');
    writeFileSync(lobeChatFile, JSON.stringify({ identifier: 'sql-helper', meta: { title: 'SQL Helper', category: 'programming' }, config: { systemRole: 'Write SQL.' } }));
    const withoutModel = await run(['gpts', 'import', lobeChatFile, '--format', 'lobechat']);
    expect(withoutModel.code).toBe(1);
    expect(withoutModel.stderr).toContain('base_model');
    const lobeChat = await run(['gpts', 'import', lobeChatFile, '--format', 'lobechat', '--base-model', 'chat-default']);
    expect(lobeChat.stdout).toContain('imported sql-helper');
    const organisationOnly = JSON.parse((await run(['gpts', 'list', '--org', organisation.id, '--json'])).stdout) as { slug: string }[];
    expect(organisationOnly.map((entry) => entry.slug)).toEqual(['code-reviewer-copy']);

    const entries = await new AuditLog(database).list({ targetId: gpt.id });
    expect(entries.data.map((entry) => entry.action).sort()).toEqual(['gpt.create', 'gpt.publish']);
    expect(entries.data[0]?.actor_key_id).toBe('local-operator');
  });
});
