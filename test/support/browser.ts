// Debian's Chromium driven by playwright-core, for the web app's end-to-end tests. Each launch
// gets a fresh profile folder, removed on close, and flags that keep Chromium from reaching
// the network on its own (updates, sync, QUIC, first-run pages).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.MODELMART_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath);
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
