// Debian's Chromium driven by playwright-core, for the web app's end-to-end tests. Each launch
// gets a fresh profile folder, removed on close, and flags that keep Chromium from reaching
// the network on its own (updates, sync, QUIC, first-run pages).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.MODELMART_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath);
}

export const repositoryRoot = join(import.meta.dirname, '..', '..');

const missingChromium = `Chromium is missing at ${chromiumPath}; .ci/run installs it with apt-get install -y chromium`;

/**
 * Whether a browser test file runs: where Chromium is installed, and always in CI, where a missing
 * Chromium is a failure (see requireChromium). Elsewhere the file is skipped with a notice.
 */
export function browserTestsRun(fileName: string): boolean {
  const found = chromiumAvailable();
  const inContinuousIntegration = process.env.CI === 'true';
  if (!found && !inContinuousIntegration) console.warn(`${fileName}: skipped, no Chromium at ${chromiumPath} (install it with: apt-get install -y chromium)`);
  return found || inContinuousIntegration;
}

export function requireChromium(): void {
  if (!chromiumAvailable()) throw new Error(missingChromium);
}

function newestModification(directory: string): number {
  return Math.max(
    0,
    ...readdirSync(directory, { withFileTypes: true }).map((entry) => {
      const path = join(directory, entry.name);
      return entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs;
    }),
  );
}

/** The built app; built here when missing or older than its sources, so the browser sees the code under test. */
export function ensureWebBuild(): void {
  const index = join(repositoryRoot, 'web', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestModification(join(repositoryRoot, 'web', 'src'))) return;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  // The test runner sets NODE_ENV=test, which would give React's development build.
  execFileSync(process.execPath, [vite, 'build', 'web', '--logLevel', 'warn'], { cwd: repositoryRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchTestBrowser(options: { readonly locale?: string } = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'modelmart-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    // playwright-core passes --headless (new headless mode) itself.
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1280, height: 900 },
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the header's dialog with `key` and waits until the header says who is signed in. */
export async function signInThroughHeader(page: Page, key: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await page.getByText(/Signed in with mm-…/).waitFor();
}
