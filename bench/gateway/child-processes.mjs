// The benchmark's child processes and temporary folders: started here, and always stopped and
// removed again — on success, on failure, on Ctrl-C, and when the time budget runs out.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const outputTailLength = 4000;

export class ChildProcessGroup {
  #children = new Set();
  #temporaryFolders = new Set();
  #cleanedUp = false;

  constructor() {
    // A last, synchronous sweep in case the harness exits without calling cleanUp().
    process.on('exit', () => this.#killAllNow());
  }

  temporaryFolder(prefix) {
    const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.#temporaryFolders.add(folder);
    return folder;
  }

  /**
   * Starts a process whose output is kept (only its tail) for error messages. With `ipc`, the
   * child gets a channel it can watch to exit should the harness itself be killed outright.
   */
  start(name, command, commandArguments, options = {}) {
    const child = spawn(command, commandArguments, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    const handle = { name, child, pid: child.pid, outputTail: '', exited: false, exitCode: null };
    const keepTail = (data) => {
      handle.outputTail = (handle.outputTail + data.toString('utf8')).slice(-outputTailLength);
    };
    child.stdout.on('data', keepTail);
    child.stderr.on('data', keepTail);
    handle.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        handle.exited = true;
        handle.exitCode = code ?? signal;
        this.#children.delete(handle);
        resolve();
      });
      child.on('error', (error) => {
        handle.exited = true;
        handle.exitCode = error.message;
        this.#children.delete(handle);
        resolve();
      });
    });
    this.#children.add(handle);
    return handle;
  }

  async stop(handle, graceMilliseconds = 3000) {
    if (handle.exited) return;
    handle.child.kill('SIGTERM');
    const timer = setTimeout(() => handle.child.kill('SIGKILL'), graceMilliseconds);
    await handle.exitPromise;
    clearTimeout(timer);
  }

  async cleanUp() {
    if (this.#cleanedUp) return;
    this.#cleanedUp = true;
    await Promise.all([...this.#children].map((handle) => this.stop(handle)));
    for (const folder of this.#temporaryFolders) rmSync(folder, { recursive: true, force: true });
    this.#temporaryFolders.clear();
  }

  #killAllNow() {
    for (const handle of this.#children) handle.child.kill('SIGKILL');
    for (const folder of this.#temporaryFolders) rmSync(folder, { recursive: true, force: true });
  }
}

/** A port that was free on 127.0.0.1 a moment ago (the target binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function connects(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until the process accepts connections on the port; throws if it exits or takes too long. */
export async function waitForPort(handle, port, timeoutMilliseconds) {
  const deadline = Date.now() + timeoutMilliseconds;
  while (Date.now() < deadline) {
    if (handle.exited) throw new Error(`${handle.name} exited (${handle.exitCode}) before listening:\n${handle.outputTail.trim()}`);
    if (await connects(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${handle.name} did not listen on port ${port} within ${timeoutMilliseconds / 1000} s:\n${handle.outputTail.trim()}`);
}
