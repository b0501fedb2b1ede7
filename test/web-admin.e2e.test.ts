// The admin area (/manage) in a real browser against a real Modelmart on loopback: sign in with
// the admin key through the UI, read the providers' health, create a weighted route in the form
// (with the form's and the API's validation messages on the way), add a price version to a card,
// hide a reported GPT, and find each of these changes in the audit log. A user key gets a clear
// "needs an admin key" notice. Screenshots go to test-results/web/admin-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOperator, OrganisationService } from '../src/accounts/index.js';
import { browserTestsRun, ensureWebBuild, launchTestBrowser, signInThroughHeader, repositoryRoot, requireChromium, type TestBrowser } from './support/browser.js';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { sqliteTarget } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const screenshots = join(repositoryRoot, 'test-results', 'web');
const runBrowserTests = browserTestsRun('web-admin.e2e');

/** A calendar date `days` after today (UTC). */
function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe.runIf(runBrowserTests)('admin pages in a browser', () => {
  let upstream: UpstreamStub;
  let server: TestServer;
  let baseUrl: string;
  let browser: TestBrowser;
  let page: Page;

  const shoot = async (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  const api = async <T>(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  };
  const openSection = async (name: string) => {
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 2 }).waitFor();
  };

  beforeAll(async () => {
    requireChromium();
    ensureWebBuild();
    mkdirSync(screenshots, { recursive: true });
    upstream = await startUpstreamStub();
    server = await startTestServer(sqliteTarget, {
      logging: { level: 'warn' },
      providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['model-a', 'model-b'] }],
      routes: [{ model: 'chat-default', strategy: 'fallback', targets: [{ provider: 'stub', model: 'model-a' }] }],
    });
    baseUrl = await server.listen();

    // A published GPT that a member of another organisation reports.
    const organisations = new OrganisationService(server.database, server.apiKeys);
    const makers = await organisations.createOrganisation({ name: 'Harbour Makers' }, localOperator);
    const readers = await organisations.createOrganisation({ name: 'Readers' }, localOperator);
    const creatorKey = (await server.apiKeys.createKey({ name: 'maker', organisation_id: makers.id })).key;
    const reporterKey = (await server.apiKeys.createKey({ name: 'reader', organisation_id: readers.id })).key;
    const created = await api('POST', '/store/v1/gpts', creatorKey, { name: 'Harbour Guide', slug: 'harbour-guide', base_model: 'stub/model-a', instructions: 'You guide sailors to harbours.', visibility: 'public' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const published = await api('POST', '/store/v1/gpts/harbour-guide/publish', creatorKey);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const reported = await api('POST', '/store/v1/gpts/harbour-guide/reports', reporterKey, { reason: 'harmful', details: 'Sends boats onto the rocks.' });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);

    // One answered request, so the health table has a success and a latency to show.
    const chat = await api('POST', '/v1/chat/completions', server.adminKey, { model: 'chat-default', messages: [{ role: 'user', content: 'Hello' }] });
    expect(chat.status, JSON.stringify(chat.body)).toBe(200);

    browser = await launchTestBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await upstream?.close();
  });

  it('shows the providers and the health of each deployment to the admin key', async () => {
    await page.goto(`${baseUrl}/manage`);
    await page.getByText('Sign in with an installation admin key to use these pages.').waitFor();
    await signInThroughHeader(page, server.adminKey);
    await page.getByRole('heading', { name: 'Providers and health', level: 2 }).waitFor();
    const health = page.getByRole('table', { name: /Passive health of each deployment/ });
    const row = health.getByRole('row', { name: /stub\/model-a/ });
    await row.waitFor();
    // The state in words and a symbol, not colour alone.
    expect(await row.innerText()).toMatch(/✓ Closed: healthy\s+0\s+1\s+0\s+[\d.]+ ms/);
    await health.getByRole('row', { name: /stub\/model-b/ }).waitFor();
    const providers = page.getByRole('table', { name: /Providers and the models they serve/ });
    expect(await providers.getByRole('row', { name: /stub/ }).innerText()).toMatch(/stub[\s\S]*model-a[\s\S]*model-b/);
    expect(await page.getByRole('link', { name: 'Providers and health' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText(/^Checked /).waitFor();
    await shoot('admin-providers');
  });

  it('creates a weighted route in the form, with validation messages from the form and from the API', async () => {
    await openSection('Routes');
    await page.getByRole('table', { name: /Routes: from the configuration file/ }).getByRole('row', { name: /chat-default/ }).waitFor();
    await page.getByRole('button', { name: 'New route' }).click();
    const form = page.getByRole('form', { name: 'New route' });
    await form.getByLabel('Route name').fill('support-bot');
    await form.getByLabel('Strategy').selectOption('weighted');
    await form.getByLabel('Provider of target 1').fill('nobody');
    await form.getByLabel('Model of target 1').fill('model-a');
    await form.getByLabel('Weight of target 1').fill('0');
    await form.getByRole('button', { name: 'Add a target' }).click();
    await form.getByLabel('Provider of target 2').fill('stub');
    await form.getByLabel('Model of target 2').fill('model-b');
    await form.getByLabel('Weight of target 2').fill('1');
    await form.getByRole('button', { name: 'Save route' }).click();
    // The form's own check, next to the field.
    await form.getByText('A weight must be a number above 0.').waitFor();
    await form.getByLabel('Weight of target 1').fill('3');
    await form.getByText('75% of requests').waitFor();
    await form.getByRole('button', { name: 'Save route' }).click();
    // The API refuses the unknown provider (400 invalid_route, param targets): its message beside the targets.
    await form.getByText(/Invalid route: .*nobody/).first().waitFor();
    expect(await form.getByRole('alert').innerText()).toContain('invalid_route');
    await form.getByLabel('Provider of target 1').fill('stub');
    await form.getByRole('button', { name: 'Save route' }).click();
    await page.getByText('Route support-bot saved; it serves at once.').waitFor();
    const row = page.getByRole('row', { name: /support-bot/ });
    await expect.poll(async () => row.innerText()).toMatch(/Weighted[\s\S]*stub\/model-a ×3 → stub\/model-b ×1[\s\S]*Made here/);

    const routes = await api<{ data: { model: string; strategy: string; targets: { provider: string; model: string; weight?: number }[] }[] }>('GET', '/admin/v1/routes', server.adminKey);
    expect(routes.body.data.find((route) => route.model === 'support-bot')).toMatchObject({ strategy: 'weighted', targets: [{ provider: 'stub', model: 'model-a', weight: 3 }, { provider: 'stub', model: 'model-b', weight: 1 }] });
    await shoot('admin-routes');
  });

  it('edits a route into a canary and deletes a route after confirmation', async () => {
    await page.getByRole('button', { name: 'Edit route support-bot' }).click();
    const form = page.getByRole('form', { name: 'Edit route support-bot' });
    await form.getByLabel('Strategy').selectOption('canary');
    await form.getByLabel('Canary share (%)').fill('20');
    await form.getByText('This last target is the canary.').waitFor();
    await form.getByRole('button', { name: 'Save route' }).click();
    await page.getByText('Route support-bot saved; it serves at once.').waitFor();
    await expect.poll(async () => page.getByRole('row', { name: /support-bot/ }).innerText()).toMatch(/Canary \(20% to the canary\)[\s\S]*stub\/model-a → stub\/model-b/);
    const stored = await api<{ data: { model: string; strategy: string; canaryPercent?: number }[] }>('GET', '/admin/v1/routes', server.adminKey);
    expect(stored.body.data.find((route) => route.model === 'support-bot')).toMatchObject({ strategy: 'canary', canaryPercent: 20 });

    // A throwaway route, deleted after the confirmation dialog is accepted.
    expect((await api('PUT', '/admin/v1/routes/old-bot', server.adminKey, { strategy: 'fallback', targets: [{ provider: 'stub', model: 'model-b' }] })).status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const confirmation = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      });
    });
    await page.getByRole('button', { name: 'Delete route old-bot' }).click();
    expect(await confirmation).toContain('Delete the route old-bot?');
    await expect.poll(async () => page.getByRole('row', { name: /old-bot/ }).count()).toBe(0);
    const remaining = await api<{ data: { model: string }[] }>('GET', '/admin/v1/routes', server.adminKey);
    expect(remaining.body.data.map((route) => route.model)).toEqual(['chat-default', 'support-bot']);
  });

  it('adds a price version to a card and shows it', async () => {
    await openSection('Model cards and prices');
    await page.getByLabel('Search cards').fill('GPT-4');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.getByRole('list', { name: 'Model cards found' }).getByRole('button', { name: 'GPT-4', exact: true }).click();
    await page.getByRole('heading', { name: 'GPT-4', level: 2 }).waitFor();
    const form = page.getByRole('form', { name: 'Add a price version' });
    await form.getByLabel('Effective date').fill(daysFromToday(30));
    await form.getByLabel('Input per million tokens (USD)').fill('12.5');
    await form.getByLabel('Output per million tokens (USD)').fill('25');
    await form.getByRole('button', { name: 'Add a price version' }).click();
    const prices = page.getByRole('table', { name: 'Price versions of GPT-4' });
    await prices.getByRole('row', { name: /\$12\.50/ }).waitFor();
    expect(await prices.getByRole('row', { name: /\$12\.50/ }).innerText()).toContain('$25.00');
    await shoot('admin-models');

    // The card as JSON: a bad value is refused by the API, which names the field; a good edit is saved.
    const editor = page.getByLabel('Card as JSON (prices are versioned separately)');
    const card = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...card, release_date: 'soon' }, null, 2));
    await page.getByRole('button', { name: 'Save card' }).click();
    await page.getByText('The API refused the field release_date.').waitFor();
    await editor.fill(JSON.stringify({ ...card, description: 'GPT-4, edited from the admin page.' }, null, 2));
    await page.getByRole('button', { name: 'Save card' }).click();
    await expect.poll(async () => (await api<{ description: string }>('GET', '/store/v1/models/gpt-4', server.adminKey)).body.description).toBe('GPT-4, edited from the admin page.');
  });

  it('hides a reported GPT from the moderation queue', async () => {
    await openSection('Moderation queue');
    const row = page.getByRole('row', { name: /harbour-guide/ });
    expect(await row.innerText()).toMatch(/Harmful[\s\S]*Sends boats onto the rocks\.[\s\S]*Open/);
    await row.getByLabel('Reason or resolution').fill('Dangerous directions.');
    await row.getByRole('button', { name: 'Hide harbour-guide' }).click();
    await page.getByText('harbour-guide is hidden; 1 open reports resolved.').waitFor();
    await page.getByText('No reports here.').waitFor();
    await shoot('admin-moderation');
    expect((await api('GET', '/store/v1/gpts/harbour-guide', server.userKey)).status).toBe(404);
  });

  it('shows each change in the audit log with a readable diff, filtered by action', async () => {
    await openSection('Audit log');
    const log = page.getByRole('table', { name: 'Admin changes, newest first' });
    await log.getByRole('row', { name: /gpt\.hide/ }).waitFor();
    await log.getByRole('row', { name: /model\.price\.add/ }).waitFor();
    // The route's edit and the throwaway route's creation and deletion are there too.
    await log.getByRole('row', { name: /route\.update/ }).waitFor();
    await log.getByRole('row', { name: /route\.delete/ }).waitFor();
    const routeRow = log.getByRole('row').filter({ hasText: 'route.create' }).filter({ hasText: 'support-bot' });
    await routeRow.waitFor();
    await routeRow.getByText(/fields changed/).click();
    const diff = routeRow.getByRole('table', { name: /Changes of route\.create on support-bot/ });
    expect(await diff.getByRole('row', { name: /targets\[0\]\.weight/ }).innerText()).toMatch(/added[\s\S]*3/);
    await shoot('admin-audit');

    await page.getByLabel('Action', { exact: true }).fill('gpt.*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => log.getByRole('row', { name: /route\.create/ }).count()).toBe(0);
    expect(await log.getByRole('row', { name: /gpt\.hide/ }).count()).toBe(1);
  });

  it('fits a 375 px wide screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      for (const section of ['providers', 'routes', 'models', 'moderation', 'audit']) {
        await page.goto(`${baseUrl}/manage/${section}`);
        await page.getByRole('heading', { level: 2 }).first().waitFor();
        // Wide tables scroll inside their box; the page itself does not scroll sideways.
        expect(Number(await page.evaluate('document.documentElement.scrollWidth')), section).toBeLessThanOrEqual(375);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('tells a user key that the admin pages need an admin key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughHeader(page, server.userKey);
    await page.goto(`${baseUrl}/manage/routes`);
    await page.getByText('This needs an admin key.').first().waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
  });
});
