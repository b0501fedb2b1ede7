import { request as httpRequest } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand, startServerProcess, type ServerProcess } from './support/cli-process.js';
import { postgresTestUrl, temporaryFolder } from './support/test-databases.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataFolder(): string {
  const folder = temporaryFolder();
  cleanups.push(() => folder.remove());
  return folder.path;
}

async function serve(args: readonly string[], environment: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess(args, environment);
  cleanups.push(() => (server.child.exitCode === null ? server.stop('SIGKILL') : undefined));
  return server;
}

describe('modelmart serve', () => {
  it('prints a generated admin key once; a CLI-made key works, a wrong one gets an OpenAI 401', async () => {
    const data = dataFolder();
    const first = await serve(['--data', data]);
    const printed = /\b(mm-[A-Za-z0-9_-]{43})\b/.exec(first.output().stdout)?.[1];
    expect(printed).toBeDefined();
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${first.url}${path}`)).status).toBe(200);
    // The first start imports the packaged catalogue after listening; /readyz says when it is done.
    await expect
      .poll(async () => ((await (await fetch(`${first.url}/readyz`)).json()) as { catalogue_import?: string }).catalogue_import, { timeout: 60_000, interval: 200 })
      .toBe('done');
    const adminList = await fetch(`${first.url}/admin/v1/keys`, { headers: { authorization: `Bearer ${printed}` } });
    expect(adminList.status).toBe(200);

    const created = await runCommand(['keys', 'create', '--name', 'e2e', '--data', data, '--json']);
    expect(created.code).toBe(0);
    const key = (JSON.parse(created.stdout) as { key: string; id: string }).key;
    expect((await fetch(`${first.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    const wrong = await fetch(`${first.url}/v1/models`, { headers: { authorization: 'Bearer mm-wrong' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');

    const id = (JSON.parse(created.stdout) as { id: string }).id;
    expect((await runCommand(['keys', 'revoke', id, '--data', data])).code).toBe(0);
    expect((await fetch(`${first.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    const listed = await runCommand(['keys', 'list', '--all', '--data', data]);
    expect(listed.stdout).toContain('e2e');
    expect(listed.stdout).not.toContain(key);

    expect(await first.stop()).toBe(0);
    const second = await serve(['--data', data]);
    expect(second.output().stdout).not.toMatch(/mm-[A-Za-z0-9_-]{43}/);
    expect(await second.stop()).toBe(0);
  });

  it('refuses a second server on the same SQLite file', async () => {
    const data = dataFolder();
    await serve(['--data', data]);
    const second = await runCommand(['serve', '--port', '0', '--data', data]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another Modelmart server \(pid \d+\) is already using/);
  });

  it('finishes an in-flight request after SIGTERM, then exits 0', async () => {
    const data = dataFolder();
    const server = await serve(['--data', data], { MODELMART_ADMIN_KEY: 'mm-graceful-shutdown-admin-key', MODELMART_LOG_LEVEL: 'info' });
    // The first start imports the catalogue right after listening; on a loaded machine that can hold
    // the event loop past the moment the signal is sent, so wait for it: the request must be in flight first.
    await expect.poll(() => server.output().stdout, { timeout: 30_000, interval: 100 }).toMatch(/catalogue imported|catalogue import failed/);
    const body = JSON.stringify({ name: 'slow upload' });
    const url = new URL('/admin/v1/keys', server.url);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: { authorization: 'Bearer mm-graceful-shutdown-admin-key', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      request.on('response', (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
      });
      request.on('error', reject);
      // Half the body now, the rest after the server was told to stop: a long request in flight.
      request.write(body.slice(0, 5));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(5)), 300);
      }, 200);
    });
    const answered = await response;
    expect(answered.status).toBe(201);
    expect(await server.exited).toBe(0);
    expect(server.output().stderr).toContain('SIGTERM received');
  });
});

describe('start-up failures', () => {
  it('stops on a config typo with the key path, exit 2', async () => {
    const folder = dataFolder();
    const config = join(folder, 'modelmart.yaml');
    writeFileSync(config, 'providers:\n  - id: ollama\n    type: openai-compatible\n    baseUrl: localhost:11434\n');
    const result = await runCommand(['serve', '--config', config, '--data', folder]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('providers[0].baseUrl: expected a URL, got "localhost:11434"');
  });

  it('says which database cannot be reached, exit 1', async () => {
    const result = await runCommand(['serve', '--database-url', 'postgres://modelmart:secret@127.0.0.1:1/modelmart']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^modelmart: cannot reach PostgreSQL at postgres:\/\/modelmart:\*\*\*@127\.0\.0\.1:1\/modelmart/);
  });

  it('says the data folder is not writable, exit 1', async () => {
    const folder = dataFolder();
    writeFileSync(join(folder, 'file'), 'x');
    const result = await runCommand(['serve', '--data', join(folder, 'file', 'data')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the data folder .* is not writable/);
  });

  it('refuses a port in use', async () => {
    const data = dataFolder();
    const first = await serve(['--data', data]);
    const port = new URL(first.url).port;
    const result = await runCommand(['serve', '--port', port, '--host', '127.0.0.1', '--data', dataFolder()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });
});

describe('modelmart commands', () => {
  it('has --help on every command and a one-line reason for a bad option', async () => {
    const commands = [['--help'], ['serve', '--help'], ['migrate', '--help'], ['keys', '--help'], ['keys', 'create', '--help'], ['orgs', '--help'], ['credits', '--help'], ['usage', '--help'], ['eval', 'run', '--help']];
    const results = await Promise.all(commands.map(async (args) => ({ args, result: await runCommand(args) })));
    for (const { args, result } of results) {
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: modelmart');
    }
    const bad = await runCommand(['serve', '--prot', '80']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("unknown option '--prot'");
    const missing = await runCommand(['keys', 'revoke', 'key_nope', '--data', dataFolder()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('modelmart: No API key with id "key_nope".');
  }, 90_000);

  it('migrates, then reports migrations current', async () => {
    const data = dataFolder();
    const first = await runCommand(['migrate', '--data', data]);
    expect(first.stdout).toContain('applied 0001-initial');
    const second = await runCommand(['migrate', '--data', data]);
    expect(second.stdout).toContain('migrations already current');
  });

  it.skipIf(postgresTestUrl() === undefined)('serves from PostgreSQL', async () => {
    const { createScratchPostgresDatabase } = await import('./support/test-databases.js');
    const scratch = await createScratchPostgresDatabase(postgresTestUrl() ?? '');
    cleanups.push(() => scratch.drop());
    const server = await serve(['--database-url', scratch.url, '--data', dataFolder()], { MODELMART_ADMIN_KEY: 'mm-postgres-admin-key-000000' });
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { database: string; catalogue_import: string };
    expect(ready.database).toBe('postgres');
    expect(['running', 'done']).toContain(ready.catalogue_import);
    expect(await server.stop()).toBe(0);
  });
});
