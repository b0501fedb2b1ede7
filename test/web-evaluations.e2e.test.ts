// The evaluation pages in a real browser against a real Modelmart on loopback, with
// evaluations wired and a local upstream that answers GSM8K questions (half right): sign in
// with the admin key, see a form mistake and an API refusal, start a 6-item run from the form,
// watch the progress bar move to 100 %, and read the score beside Grok-1's published one and
// the items; without the event stream, polling still follows a run. Screenshots:
// test-results/web/evaluation-progress.png, evaluation-done.png, evaluations-list.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGsm8k } from '../src/evals/benchmarks/gsm8k-benchmark.js';
import { browserTestsRun, ensureWebBuild, launchTestBrowser, signInThroughHeader, repositoryRoot, requireChromium, type TestBrowser } from './support/browser.js';
import { startUpstreamStub, type StubBehaviour, type UpstreamStub } from './support/openai-upstream-stub.js';
import { hasSharedDatasets, noticeIfNoDatasets, sharedDatasetsPath } from './support/shared-datasets.js';
import { sqliteTarget } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const screenshots = join(repositoryRoot, 'test-results', 'web');
const runBrowserTests = browserTestsRun('web-evaluations.e2e');
const itemCount = 6;

noticeIfNoDatasets('web-evaluations.e2e');

describe.runIf(runBrowserTests && hasSharedDatasets)('evaluation pages in a browser', () => {
  let upstream: UpstreamStub;
  let server: TestServer;
  let baseUrl: string;
  let browser: TestBrowser;
  let page: Page;
  let questions: Map<string, { index: number; answer: string }>;

  const shoot = async (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  /** Even items answered right, odd ones wrong; each answer takes a while, so the bar is seen moving. */
  function responder(body: Record<string, unknown>): StubBehaviour {
    const messages = body.messages as { content: string }[];
    const question = (messages.at(-1)?.content ?? '').replace(/^Question: /, '').replace(/\nAnswer:$/, '');
    const item = questions.get(question);
    const delayMilliseconds = 700;
    if (item === undefined) return { kind: 'answer', text: 'no idea', delayMilliseconds };
    return { kind: 'answer', text: item.index % 2 === 0 ? `${item.answer}\n\nQuestion: and then?` : 'The answer is #### 999999', delayMilliseconds };
  }

  beforeAll(async () => {
    requireChromium();
    ensureWebBuild();
    mkdirSync(screenshots, { recursive: true });
    questions = new Map(readGsm8k({ dataDirectory: sharedDatasetsPath }, 'test').map((item, index) => [item.question, { index, answer: item.answer }]));
    upstream = await startUpstreamStub();
    upstream.setResponder(responder);
    // A route named after the Grok-1 card, whose GSM8K score xAI published: the run page shows both.
    server = await startTestServer(
      sqliteTarget,
      {
        providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['m'] }],
        routes: [{ model: 'grok-1', strategy: 'fallback', targets: [{ provider: 'stub', model: 'm' }] }],
      },
      {},
      { evaluations: {} },
    );
    baseUrl = await server.listen();
    browser = await launchTestBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await upstream?.close();
  });

  it('asks to sign in, then signs in with the admin key through the header', async () => {
    await page.goto(`${baseUrl}/evaluations`);
    await page.getByRole('heading', { name: 'Evaluations', level: 1 }).waitFor();
    await page.getByText('Sign in with an API key (top right) to use this page.').waitFor();
    await signInThroughHeader(page, server.adminKey);
    await page.getByRole('heading', { name: 'Start a run' }).waitFor();
    await page.getByText('No evaluation runs yet. Start one above.').waitFor();
  });

  it('names a form mistake beside its field and shows the API\'s refusal as it words it', async () => {
    await page.getByLabel('Number of items').fill('0');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByText('Required.').waitFor();
    await page.getByText('This value is out of range.').waitFor();
    expect(await page.getByLabel('Model', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Model', { exact: true }).fill('no-such-model');
    await page.getByLabel('Number of items').fill(String(itemCount));
    await page.getByRole('button', { name: 'Start run' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'no-such-model' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/model_not_found/);
    expect(page.url()).toBe(`${baseUrl}/evaluations`);
  });

  it('starts a run from the form and watches its progress bar move to 100 %', async () => {
    await page.getByLabel('Model', { exact: true }).fill('grok-1');
    await page.getByLabel('Benchmark').selectOption('gsm8k');
    await page.getByText('Sends 5 worked examples before each item, as the reference tools do.').waitFor();
    await page.getByLabel('Number of items').fill(String(itemCount));
    await page.getByText('More settings').click();
    await page.getByLabel('Calls in flight').fill('1');
    await page.getByLabel('Data folder on the server').fill(sharedDatasetsPath);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/evaluations\/evalrun_/);
    await page.getByRole('heading', { name: /^Evaluation run evalrun_/ }).waitFor();

    const bar = page.getByRole('progressbar', { name: 'Evaluation progress' });
    await bar.waitFor();
    const seen = new Set<number>();
    let shotTaken = false;
    const deadline = Date.now() + 40_000;
    for (;;) {
      const value = Number(await bar.getAttribute('aria-valuenow'));
      seen.add(value);
      if (!shotTaken && value > 0 && value < 100) {
        await page.getByText(`of ${itemCount} items`, { exact: false }).first().waitFor();
        await shoot('evaluation-progress');
        shotTaken = true;
      }
      if (value === 100) break;
      if (Date.now() > deadline) throw new Error(`the progress bar stopped at ${value} (seen: ${[...seen].join(', ')})`);
      await page.waitForTimeout(100);
    }
    // The bar moved through values between empty and full, and only forward.
    const values = [...seen];
    expect(values.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(2);
    expect(values).toEqual([...values].sort((left, right) => left - right));
    expect(shotTaken).toBe(true);
    expect(await page.getByTestId('evaluation-items-done').innerText()).toContain(`${itemCount} of ${itemCount} items`);
  }, 60_000);

  it('shows the score beside the published one, a chart, and the items right and wrong', async () => {
    await page.getByRole('heading', { name: 'GSM8K results' }).waitFor();
    await page.getByText(/^✓ Completed$/).first().waitFor();
    expect(await page.getByTestId('evaluation-score').innerText()).toBe('50%');
    const scores = page.getByRole('table', { name: /Scores over 6 items/ });
    const strictMatch = scores.getByRole('row', { name: /strict_match/ });
    expect(await strictMatch.innerText()).toMatch(/50%\s+62\.9%/);
    expect(await page.locator('canvas[role="img"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);

    const items = page.getByRole('table', { name: "The run's items in order" });
    await items.getByRole('row').nth(itemCount).waitFor();
    const rows = await items.getByRole('row').allInnerTexts();
    expect(rows.slice(1)).toHaveLength(itemCount);
    expect(rows.filter((row) => row.includes('✓ correct'))).toHaveLength(itemCount / 2);
    expect(rows.filter((row) => row.includes('✗ wrong'))).toHaveLength(itemCount / 2);
    expect(rows.find((row) => row.includes('✗ wrong'))).toContain('999999');
    await shoot('evaluation-done');
  });

  it('still follows a run by polling where no event stream comes through', async () => {
    // As an older server or a buffering proxy would: the events address is not there.
    await page.route('**/admin/v1/evaluations/*/events', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error', param: null, code: 'not_found' } }) }));
    const started = await fetch(`${baseUrl}/admin/v1/evaluations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ benchmark: 'gsm8k', model: 'grok-1', limit: 4, seed: 99, concurrency: 1, data_directory: sharedDatasetsPath }),
    });
    const run = (await started.json()) as { id: string };
    await page.goto(`${baseUrl}/evaluations/${run.id}`);
    await page.getByText('Checking for progress every few seconds.').waitFor();
    const bar = page.getByRole('progressbar', { name: 'Evaluation progress' });
    await expect.poll(async () => bar.getAttribute('aria-valuenow'), { timeout: 30_000, interval: 200 }).toBe('100');
    await page.getByRole('heading', { name: 'GSM8K results' }).waitFor();
    await page.unroute('**/admin/v1/evaluations/*/events');
  }, 60_000);

  it('lists the run, completed at 100 %, linked to its page', async () => {
    await page.getByRole('link', { name: '← All evaluation runs' }).click();
    const runs = page.getByRole('table', { name: 'Evaluation runs, newest first' });
    await runs.waitFor();
    const row = runs.getByRole('row').nth(1);
    expect(await row.innerText()).toMatch(/grok-1\s+GSM8K\s+✓ Completed\s+100%/);
    expect(await row.innerText()).toContain('50%');
    await shoot('evaluations-list');

    // At 375 px wide the pages reflow: nothing but the tables' own scrolling is wider than the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'GSM8K results' }).waitFor();
    // Named when it fails: whatever sticks out, outside the tables' own scrolling.
    const tooWide = await page.evaluate(
      "JSON.stringify([...document.querySelectorAll('body *')].filter((element) => element.getBoundingClientRect().right > 376 && element.closest('.table-scroll') === null).map((element) => element.tagName + '.' + element.className))",
    );
    expect(JSON.parse(String(tooWide))).toEqual([]);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });

    // In Chinese: the same page, its bar, status and results in the other catalogue.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('progressbar', { name: '评测进度' }).waitFor();
    await page.getByText(/^✓ 已完成$/).first().waitFor();
    await page.getByRole('heading', { name: 'GSM8K 结果' }).waitFor();
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('progressbar', { name: 'Evaluation progress' }).waitFor();
  });
});
