import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { namespacesAvailable, PythonSandbox } from './python-sandbox.js';

const isolated = namespacesAvailable();
if (!isolated) console.warn('[python-sandbox] namespaces unavailable here: the containment tests are skipped, the refusal test runs');

describe.skipIf(!isolated)('PythonSandbox (isolated)', () => {
  const sandbox = new PythonSandbox({ concurrency: 2 });
  const outside = mkdtempSync(join(tmpdir(), 'sandbox-outside-'));
  chmodSync(outside, 0o777);
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('passes a correct program and reports a failing assertion with its exception', async () => {
    expect(await sandbox.run('def add(a, b):\n    return a + b\nassert add(2, 3) == 5\n')).toEqual({ status: 'passed' });
    const failed = await sandbox.run('assert 1 == 2, "one is not two"\n');
    expect(failed).toEqual({ status: 'failed', error: 'AssertionError: one is not two' });
  });

  it('times out an infinite loop within the wall-clock limit', async () => {
    const started = Date.now();
    expect(await sandbox.run('while True:\n    pass\n')).toEqual({ status: 'timed out' });
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('contains a fork bomb: the run ends and the machine keeps working', async () => {
    const outcome = await sandbox.run('import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n');
    expect(['failed', 'timed out']).toContain(outcome.status);
    expect(await sandbox.run('print("still fine")\n')).toEqual({ status: 'passed' });
  });

  it('refuses a 10 GB allocation with MemoryError', async () => {
    const outcome = await sandbox.run('block = bytearray(10 * 1024 ** 3)\n');
    expect(outcome).toMatchObject({ status: 'failed' });
    if (outcome.status === 'failed') expect(outcome.error).toContain('MemoryError');
  });

  it('keeps writes inside its own folder: a world-writable host folder stays empty', async () => {
    const target = join(outside, 'escaped.txt');
    const outcome = await sandbox.run(`import os\nos.makedirs(${JSON.stringify(outside)}, exist_ok=True)\nopen(${JSON.stringify(target)}, "w").write("x")\nopen("/etc/modelmart-escape", "w").write("x")\n`);
    expect(outcome.status).toBe('failed');
    expect(existsSync(target)).toBe(false);
    expect(existsSync('/etc/modelmart-escape')).toBe(false);
  });

  it('has no network: a connection to a listening host port fails', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const outcome = await sandbox.run(`import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1).close()\n`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(outcome.status).toBe('failed');
    expect(connections).toBe(0);
  });

  it('starts from a clean environment as an unprivileged user, with a file-size limit', async () => {
    process.env['MODELMART_SANDBOX_PROBE'] = 'secret';
    const clean = await sandbox.run('import os\nassert "MODELMART_SANDBOX_PROBE" not in os.environ\nassert os.getcwd() == os.environ["HOME"]\nassert os.getuid() != 0 or os.geteuid() != 0\n');
    delete process.env['MODELMART_SANDBOX_PROBE'];
    expect(clean).toEqual({ status: 'passed' });
    const big = await sandbox.run('open("big.bin", "wb").write(b"x" * (64 * 1024 ** 2))\n');
    expect(big.status).toBe('failed');
  });

  it('runs programs in parallel, keeping their order', async () => {
    const outcomes = await sandbox.runAll(['pass\n', 'raise ValueError("bad")\n', 'pass\n']);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['passed', 'failed', 'passed']);
  });
});

describe('PythonSandbox without namespaces', () => {
  it('refuses to run unless explicitly allowed, and runs limited in a temp folder when allowed', async () => {
    expect(() => new PythonSandbox({ probeNamespaces: () => false })).toThrow(/refusing to run untrusted code/);
    const unisolated = new PythonSandbox({ probeNamespaces: () => false, allowUnisolated: true, concurrency: 1 });
    expect(unisolated.isIsolated).toBe(false);
    expect(await unisolated.run('import os\nassert os.getcwd() == os.environ["HOME"]\n')).toEqual({ status: 'passed' });
    expect(await unisolated.run('raise KeyError("x")\n')).toEqual({ status: 'failed', error: "KeyError: 'x'" });
  });
});
