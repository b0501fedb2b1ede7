// The GPT pages in a real browser (Debian's Chromium through playwright-core) against a real
// Modelmart on loopback with a local upstream: sign in with the admin key, build a GPT in the
// builder (instructions, base model, a knowledge file watched until indexed and one refused, an
// OpenAPI action and its test call, preview of the draft, publish), chat with it on its page
// from a conversation starter and see the streamed answer, its citation and tokens, check that
// the knowledge passage reached the model, rate it, and find it in the store (also at 375 px).
// Screenshots go to test-results/web/gpt-*.png.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, ensureWebBuild, launchTestBrowser, signInThroughHeader, repositoryRoot, requireChromium, type TestBrowser } from './support/browser.js';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { sqliteTarget } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const screenshots = join(repositoryRoot, 'test-results', 'web');
const runBrowserTests = browserTestsRun('web-gpts.e2e');
const starter = 'Which is the secret harbour?';
const passage = 'The secret harbour of the north coast is Port Azure, behind the lighthouse.';

/** A local API for the GPT's action: the tide at a harbour. */
async function startTideApi(): Promise<{ readonly baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ harbour: new URL(request.url ?? '/', 'http://localhost').searchParams.get('harbour'), high_tide: '14:05' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.runIf(runBrowserTests)('GPT store, page and builder in a browser', () => {
  let upstream: UpstreamStub;
  let server: TestServer;
  let baseUrl: string;
  let browser: TestBrowser;
  let page: Page;
  let gptPath = '';
  let tideApi: Awaited<ReturnType<typeof startTideApi>>;

  const shoot = async (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    requireChromium();
    ensureWebBuild();
    mkdirSync(screenshots, { recursive: true });
    // The base model's canned answer, streamed word by word, citing the passage as [1].
    upstream = await startUpstreamStub({ kind: 'answer', text: 'The secret harbour is Port Azure [1].' });
    tideApi = await startTideApi();
    server = await startTestServer(sqliteTarget, {
      logging: { level: 'warn' },
      // The action's API is on loopback, which outbound calls refuse unless allowed.
      gpts: { outbound: { allowList: ['127.0.0.1'] } },
      providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['gpt-4'] }],
      routes: [{ model: 'gpt-4', strategy: 'fallback', targets: [{ provider: 'stub', model: 'gpt-4' }] }],
    });
    baseUrl = await server.listen();
    browser = await launchTestBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await upstream?.close();
    await tideApi?.close();
  });

  it('signs in with the admin key and creates a draft in the builder', async () => {
    await page.goto(`${baseUrl}/builder`);
    await signInThroughHeader(page, server.adminKey);
    await page.getByRole('heading', { name: 'New GPT' }).waitFor();
    await page.getByLabel('Name').fill('Harbour Guide');
    await page.getByLabel('Base model').selectOption('gpt-4');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { name: 'Editing Harbour Guide' }).waitFor();
    gptPath = new URL(page.url()).pathname;
    expect(gptPath).toMatch(/^\/builder\/gpt_/);
  });

  it('writes instructions and starters, saves, and uploads a knowledge file watched until indexed', async () => {
    await page.getByLabel('Instructions').fill('You guide sailors to harbours. Cite your sources.');
    await page.locator('#builder-starters').fill(starter);
    await page.getByLabel('Category').selectOption('lifestyle');
    await page.getByLabel('Visibility').selectOption('public');
    await page.getByLabel('Base model').selectOption('gpt-4');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();

    await page.getByLabel('Upload files').setInputFiles({ name: 'harbours.txt', mimeType: 'text/plain', buffer: Buffer.from(`${passage}\n`) });
    await page.getByTestId('knowledge-status').filter({ hasText: 'indexed' }).waitFor();
    expect(await page.getByRole('cell', { name: 'harbours.txt', exact: true }).count()).toBe(1);
    // A file the API cannot read: its 422 is shown as the API words it, and nothing is kept.
    await page.getByLabel('Upload files').setInputFiles({ name: 'broken.txt', mimeType: 'text/plain', buffer: Buffer.from([0xff, 0xfe, 0xfd, 0x00]) });
    await page.getByText('(knowledge_file_unreadable, file)').waitFor();
    expect(await page.getByRole('cell', { name: 'broken.txt', exact: true }).count()).toBe(0);
  });

  it('adds an OpenAPI action and makes a test call of its tool', async () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 'Tides', version: '1.0.0' },
      servers: [{ url: tideApi.baseUrl }],
      paths: { '/tide': { get: { operationId: 'getTide', summary: 'High tide at a harbour', parameters: [{ name: 'harbour', in: 'query', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'The tide' } } } } },
    };
    await page.getByLabel('OpenAPI document (JSON or YAML)').fill(JSON.stringify(document, null, 2));
    await page.getByRole('button', { name: 'Save action' }).click();
    await page.getByRole('heading', { name: 'Tides', level: 3 }).waitFor();
    await page.getByLabel('Arguments (a JSON object)').fill('{"harbour": "Port Azure"}');
    await page.getByRole('button', { name: 'Test call' }).click();
    await page.getByText('✓ The call succeeded.').waitFor();
    await page.getByText('"high_tide":"14:05"').waitFor();
    await shoot('gpt-builder');
    await page.getByLabel('Arguments (a JSON object)').fill('[1]');
    await page.getByRole('button', { name: 'Test call' }).click();
    await page.getByText('The arguments must be a JSON object').waitFor();
  });

  it('previews the unpublished draft, then publishes it as version 1', async () => {
    await page.getByLabel('Message').fill(starter);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('gpt-message-usage').waitFor();
    await page.locator('.chat-message[data-role="assistant"]').filter({ hasText: 'Port Azure' }).waitFor();
    expect((upstream.received.at(-1)?.body as { model: string }).model).toBe('gpt-4');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published as version 1.').waitFor();
    await page.getByRole('status').getByRole('link', { name: 'Open its page' }).click();
    await page.getByRole('heading', { name: 'Harbour Guide', level: 1 }).waitFor();
  });

  it('chats on the GPT page from a starter: a streamed answer with its citation and tokens, and the passage reached the model', async () => {
    const before = upstream.received.length;
    await page.getByRole('button', { name: starter }).click();
    const answer = page.locator('.chat-message[data-role="assistant"]').last();
    await answer.filter({ hasText: 'Port Azure [1].' }).waitFor();
    await answer.getByTestId('gpt-message-usage').waitFor();
    expect(await answer.getByTestId('gpt-message-usage').innerText()).toMatch(/prompt tokens/);
    await answer.getByRole('list', { name: 'Sources' }).getByText('harbours.txt').waitFor();

    const sent = upstream.received.slice(before).find((request) => request.path.endsWith('/chat/completions'))?.body as { messages: { role: string; content: string }[]; stream: boolean } | undefined;
    expect(sent?.stream).toBe(true);
    expect(sent?.messages[0]).toEqual({ role: 'system', content: 'You guide sailors to harbours. Cite your sources.' });
    expect(JSON.stringify(sent?.messages)).toContain('Port Azure, behind the lighthouse');
    expect(sent?.messages.at(-1)).toEqual({ role: 'user', content: starter });

    expect(await page.getByRole('link', { name: 'Open in playground' }).getAttribute('href')).toBe('/playground?model=gpt%3Aharbour-guide');
    await shoot('gpt-page');
  });

  it('takes a rating from a reader who used it, and tells one who has not to use it first', async () => {
    await page.getByLabel('Stars').selectOption('5');
    await page.getByLabel('Review (optional)').fill('Found the harbour at once.');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('Thank you: your rating is saved.').waitFor();
    await page.locator('.gpt-reviews').getByText('Found the harbour at once.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughHeader(page, server.userKey);
    await page.goto(`${baseUrl}/gpts/harbour-guide`);
    await page.getByLabel('Stars').selectOption('1');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('Only people who have used this GPT may rate it: chat with it first.').waitFor();
    await page.getByText('(gpt_not_used)').waitFor();
  });

  it('lists the GPT in the store, with the search in the address', async () => {
    await page.goto(`${baseUrl}/gpts?sort=new`);
    await page.getByRole('heading', { name: 'GPT store', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Harbour Guide' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('harbour');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=harbour/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('new');
    await page.getByRole('link', { name: 'Harbour Guide' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create a GPT' }).count()).toBe(1);
    await shoot('gpt-store');
  });

  it('fits the store and the GPT page into 375 px', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/gpts', '/gpts/harbour-guide']) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Harbour Guide' }).or(page.getByRole('heading', { name: 'Harbour Guide' })).first().waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(375);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
