// Runs untrusted Python (HumanEval check programs) in subprocesses: a fresh working folder, a clean
// environment, resource limits, a wall-clock timeout that kills the whole process group, and no network
// (a new network, PID and mount namespace). Without namespaces it refuses unless explicitly allowed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelmartError } from '../../core/index.js';
import { sandboxLauncherScript } from './sandbox-launcher.js';

export type SandboxOutcome =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly error: string }
  | { readonly status: 'timed out' };

export interface SandboxOptions {
  /** Wall-clock limit per program; the reference harness uses 3 s. */
  readonly timeoutMs?: number;
  readonly memoryBytes?: number;
  readonly cpuSeconds?: number;
  readonly maxProcesses?: number;
  readonly maxFileBytes?: number;
  readonly concurrency?: number;
  readonly python?: string;
  /** Run without namespaces (network reachable, shared /tmp visible) when the kernel refuses them. */
  readonly allowUnisolated?: boolean;
  /** How to tell whether namespaces can be made; tests replace it to see the refusal path. */
  readonly probeNamespaces?: () => boolean;
}

const namespaceArguments = ['--net', '--pid', '--fork', '--mount', '--kill-child'];
// Each concurrent slot runs as its own unprivileged user so a fork bomb exhausts only its own process limit.
const firstSandboxUid = 61_000;

let namespaceSupport: boolean | undefined;
const interpreters = new Map<string, { readonly executable: string; readonly prefix: string }>();

/** The interpreter's real path and install prefix, asked of it once. */
function locateInterpreter(python: string): { readonly executable: string; readonly prefix: string } {
  const known = interpreters.get(python);
  if (known !== undefined) return known;
  const probe = spawnSync(python, ['-I', '-S', '-c', 'import os, sys; print(os.path.realpath(sys.executable)); print(os.path.realpath(sys.base_prefix))'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  const [executable, prefix] = probe.stdout.trim().split('\n');
  if (probe.status !== 0 || executable === undefined || prefix === undefined) {
    throw new ModelmartError(500, `cannot run ${python} for the code sandbox: ${probe.error?.message ?? probe.stderr.trim()}`, { code: 'sandbox_unavailable', retryable: false });
  }
  const located = { executable, prefix };
  interpreters.set(python, located);
  return located;
}

/** Whether this process may create network, PID and mount namespaces (root, or a permissive kernel). */
export function namespacesAvailable(): boolean {
  if (namespaceSupport === undefined) {
    // The probe does what every run will do first, so a kernel that allows the namespaces but not
    // the mounts (or a system without the tools) is found here, not as 164 failed programs.
    const steps = 'command -v prlimit && command -v setpriv && mount --make-rprivate / && mount -t tmpfs -o size=1m tmpfs /tmp';
    const probe = spawnSync('unshare', [...namespaceArguments, 'sh', '-c', steps], { stdio: 'ignore', timeout: 5_000 });
    namespaceSupport = probe.status === 0;
  }
  return namespaceSupport;
}

function lastErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1)?.trim() ?? 'exited with an error and no message';
}

export class PythonSandbox {
  private readonly timeoutMs: number;
  private readonly isolated: boolean;
  private readonly settings: Required<Omit<SandboxOptions, 'allowUnisolated' | 'timeoutMs' | 'probeNamespaces'>>;
  private readonly interpreter: { readonly executable: string; readonly prefix: string };
  private readonly freeSlots: number[];
  private readonly waiting: ((slot: number) => void)[] = [];

  constructor(options: SandboxOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.isolated = (options.probeNamespaces ?? namespacesAvailable)();
    if (!this.isolated && options.allowUnisolated !== true) {
      throw new ModelmartError(
        500,
        'cannot create a network namespace for the code sandbox (needs root or unprivileged user namespaces); refusing to run untrusted code with network access unless explicitly allowed',
        { code: 'sandbox_unavailable', retryable: false },
      );
    }
    this.settings = {
      memoryBytes: options.memoryBytes ?? 2 * 1024 ** 3,
      cpuSeconds: options.cpuSeconds ?? 10,
      maxProcesses: options.maxProcesses ?? 64,
      maxFileBytes: options.maxFileBytes ?? 16 * 1024 ** 2,
      concurrency: Math.max(1, options.concurrency ?? availableParallelism()),
      python: options.python ?? 'python3',
    };
    this.interpreter = locateInterpreter(this.settings.python);
    this.freeSlots = Array.from({ length: this.settings.concurrency }, (_, index) => index);
  }

  get isIsolated(): boolean {
    return this.isolated;
  }

  /** Runs one program; resolves with its outcome and never rejects for anything the program does. */
  async run(program: string): Promise<SandboxOutcome> {
    const slot = await this.acquireSlot();
    try {
      return await this.runInSlot(program, slot);
    } finally {
      this.releaseSlot(slot);
    }
  }

  /** Runs many programs, at most `concurrency` at once, keeping the input order. */
  runAll(programs: readonly string[]): Promise<SandboxOutcome[]> {
    return Promise.all(programs.map((program) => this.run(program)));
  }

  private acquireSlot(): Promise<number> {
    const slot = this.freeSlots.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(slot: number): void {
    const next = this.waiting.shift();
    if (next === undefined) this.freeSlots.push(slot);
    else next(slot);
  }

  private runInSlot(program: string, slot: number): Promise<SandboxOutcome> {
    // Isolated runs write into a tmpfs that exists only inside their mount namespace.
    const hostFolder = this.isolated ? undefined : mkdtempSync(join(tmpdir(), 'modelmart-sandbox-'));
    const work = hostFolder ?? '/tmp/sandbox-work';
    // Without a mount namespace the interpreter may be unreachable for another user, so the unsafe mode keeps the caller's.
    const uid = this.isolated && process.getuid?.() === 0 ? firstSandboxUid + slot : 0;
    const launcher = [
      '-c', sandboxLauncherScript, 'sandbox-launcher', this.isolated ? '1' : '0', work, String(uid), this.interpreter.executable, this.interpreter.prefix,
      String(this.settings.memoryBytes), String(this.settings.cpuSeconds), String(this.settings.maxProcesses), String(this.settings.maxFileBytes),
    ];
    const [command, args] = this.isolated ? ['unshare', [...namespaceArguments, 'sh', ...launcher]] : ['sh', launcher];
    return new Promise<SandboxOutcome>((resolve) => {
      const child = spawn(command, args, { detached: true, stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } });
      let stderr = '';
      let timedOut = false;
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already gone.
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, this.timeoutMs);
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 64 * 1024) stderr += chunk.toString();
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(program);
      const finish = (outcome: SandboxOutcome): void => {
        clearTimeout(timer);
        killGroup();
        if (hostFolder !== undefined) rmSync(hostFolder, { recursive: true, force: true });
        resolve(outcome);
      };
      child.on('error', (error) => finish({ status: 'failed', error: `could not start ${command}: ${error.message}` }));
      child.on('close', (code) => {
        if (timedOut) finish({ status: 'timed out' });
        else if (code === 0) finish({ status: 'passed' });
        else finish({ status: 'failed', error: lastErrorLine(stderr) });
      });
    });
  }
}
