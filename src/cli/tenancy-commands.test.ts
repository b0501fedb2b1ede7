import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { ApiKeyService } from '../accounts/index.js';
import type { Database } from '../storage/index.js';
import { runCli } from './cli-program.js';

// Each test opens a fresh migrated database; on a busy machine PostgreSQL setup alone can pass the 5 s default.
describe.each(testDatabaseTargets())('modelmart orgs, projects, users and scoped keys on $name', { timeout: 60_000 }, (target) => {
  let database: Database;
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
    dispose = opened.dispose;
    locationArguments = ['--data', opened.options.dataDir, ...(opened.options.databaseUrl === undefined ? [] : ['--database-url', opened.options.databaseUrl])];
  }, 60_000);
  afterAll(async () => dispose());

  it('creates an organisation, a project, a user and a scoped key that authenticates with them', async () => {
    const organisation = await run(['orgs', 'create', '--name', 'Initech', '--rpm', '100', '--json']);
    expect(organisation.stderr).toBe('');
    const organisationId = (JSON.parse(organisation.stdout) as { id: string }).id;
    const project = JSON.parse((await run(['projects', 'create', '--org', organisationId, '--name', 'tps', '--tpm', '5000', '--json'])).stdout) as { id: string };
    const user = JSON.parse((await run(['users', 'add', '--org', organisationId, '--email', 'peter@initech.test', '--role', 'admin', '--json'])).stdout) as { id: string; role: string };
    expect(user.role).toBe('admin');
    const key = await run([
      'keys', 'create', '--name', 'peter', '--org', organisationId, '--project', project.id, '--user', user.id,
      '--allow-model', 'qwen-*', '--allow-model', 'local/*', '--deny-model', 'qwen-max', '--ip', '10.0.0.0/8', '--expires', '30d', '--rpm', '20', '--json',
    ]);
    expect(key.code).toBe(0);
    const created = JSON.parse(key.stdout) as { key: string; scopes: unknown; expires_at: string };
    expect(created.scopes).toEqual({ allowed_models: ['qwen-*', 'local/*'], denied_models: ['qwen-max'], allowed_gpts: null, ip_allow_list: ['10.0.0.0/8'] });
    expect(Date.parse(created.expires_at)).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const apiKeys = new ApiKeyService(database);
    await apiKeys.initialise();
    const principal = await apiKeys.authenticate(created.key, { clientIp: '10.1.1.1' });
    expect(principal).toMatchObject({ organisationId, projectId: project.id, userId: user.id, organisationRole: 'admin' });
    expect(principal.limits).toEqual({ key: { requestsPerMinute: 20 }, project: { tokensPerMinute: 5000 }, organisation: { requestsPerMinute: 100 } });

    const listed = await run(['orgs', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((entry) => entry.id)).toEqual(['org_default', organisationId]);
    const shown = await run(['orgs', 'show', organisationId]);
    expect(shown.stdout).toContain('peter@initech.test');
    expect(shown.stdout).toContain('tps');
    const keys = await run(['keys', 'list', '--org', organisationId, '--json']);
    expect((JSON.parse(keys.stdout) as unknown[]).length).toBe(1);

    // What the command line changed is in the audit log, made by the local operator, without the key.
    const audit = await database.kysely.selectFrom('audit_log').select(['action', 'actor_key_id', 'after']).where('organisation_id', '=', organisationId).orderBy('id').execute();
    expect(audit.map((entry) => [entry.action, entry.actor_key_id])).toEqual([
      ['organisation.create', 'local-operator'],
      ['project.create', 'local-operator'],
      ['member.add', 'local-operator'],
      ['key.create', 'local-operator'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.key);
    expect(keys.stdout).not.toContain(created.key);
    const bad = await run(['keys', 'create', '--name', 'bad', '--ip', '10.0.0.0/40']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('scopes.ip_allow_list[0]');
  });
});
