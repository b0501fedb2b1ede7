// The console's money pages and the playground's tool calls in a real browser (Debian's
// Chromium through playwright-core) against a real Modelmart on loopback with a local upstream:
// a top-up changes the balance, a batch of redemption codes is redeemed once (the second try
// shows the API's 409), a statement downloads as the API's CSV, and a tool call is shown,
// answered and followed by the final answer. Screenshots go to test-results/web/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, ensureWebBuild, launchTestBrowser, signInThroughHeader, repositoryRoot, requireChromium, type TestBrowser } from './support/browser.js';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { sqliteTarget } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const screenshots = join(repositoryRoot, 'test-results', 'web');
const runBrowserTests = browserTestsRun('web-console.e2e');

function lastMessageRole(body: Record<string, unknown>): unknown {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  const last = messages[messages.length - 1];
  return typeof last === 'object' && last !== null && 'role' in last ? last.role : undefined;
}

describe.runIf(runBrowserTests)('console money pages and playground tools in a browser', () => {
  let upstream: UpstreamStub;
  let server: TestServer;
  let baseUrl: string;
  let browser: TestBrowser;
  let page: Page;

  const shoot = async (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    requireChromium();
    ensureWebBuild();
    mkdirSync(screenshots, { recursive: true });
    upstream = await startUpstreamStub({ kind: 'answer' });
    // A request that carries tools is answered with a call of the first one, until a tool result comes back.
    upstream.setResponder((body) => {
      if (lastMessageRole(body) === 'tool') return { kind: 'answer', text: 'It is sunny in Paris today.' };
      if (Array.isArray(body.tools) && body.tools.length > 0) return { kind: 'answer', toolCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
      return undefined;
    });
    server = await startTestServer(sqliteTarget, {
      providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['gpt-4'] }],
      routes: [{ model: 'gpt-4', strategy: 'fallback', targets: [{ provider: 'stub', model: 'gpt-4' }] }],
    });
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

  it('signs in with the admin key and tops up an organisation', async () => {
    await page.goto(`${baseUrl}/console`);
    await signInThroughHeader(page, server.adminKey);
    await page.getByRole('heading', { name: 'Balance', level: 2 }).waitFor();
    const balance = page.getByTestId('balance-amount');
    await balance.waitFor();
    const before = await balance.innerText();

    // Refused in the browser: a negative amount and a fraction of a micro-unit never reach the API.
    await page.getByLabel('Amount', { exact: true }).fill('-5');
    await page.getByRole('button', { name: 'Add credit' }).click();
    await page.getByText('The amount cannot be negative.').waitFor();
    await page.getByLabel('Amount', { exact: true }).fill('0.0000001');
    await page.getByRole('button', { name: 'Add credit' }).click();
    await page.getByText('At most six decimal places').waitFor();

    await page.getByLabel('Amount', { exact: true }).fill('25.29');
    await page.getByLabel('Note (optional)').fill('browser top-up');
    await page.getByRole('button', { name: 'Add credit' }).click();
    await page.getByText('$25.29 added.').waitFor();
    await expect.poll(async () => balance.innerText()).not.toBe(before);
    const transactions = page.getByTestId('transactions');
    await transactions.getByRole('row', { name: /Top-up.*\$25\.29.*browser top-up/ }).waitFor();
  });

  it('creates three redemption codes, redeems one and is refused the second time', async () => {
    await page.getByLabel('Number of codes').fill('3');
    await page.getByLabel('Value of each code').fill('5');
    await page.getByRole('button', { name: 'Create codes' }).click();
    const created = page.getByTestId('created-codes');
    await created.waitFor();
    const codes = (await created.getByRole('list', { name: 'New redemption codes' }).getByRole('listitem').allInnerTexts()).map((code) => code.trim());
    expect(codes).toHaveLength(3);
    for (const code of codes) expect(code).toMatch(/^MMR-/);

    // The CSV is built in the browser from the answer: the codes are not stored anywhere readable.
    const [codesDownload] = await Promise.all([page.waitForEvent('download'), created.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(codesDownload.suggestedFilename()).toMatch(/^redemption-codes-.+\.csv$/);
    const codesCsv = readFileSync(await codesDownload.path(), 'utf8');
    expect(codesCsv.split('\r\n')[0]).toBe('code,amount,currency,expires_at,batch_id');
    for (const code of codes) expect(codesCsv).toContain(`${code},5,USD,`);

    const balance = page.getByTestId('balance-amount');
    const before = await balance.innerText();
    await page.getByLabel('Code', { exact: true }).fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Redeem' }).click();
    await page.getByText(/\$5\.00 credited; the balance is now/).waitFor();
    await expect.poll(async () => balance.innerText()).not.toBe(before);

    await page.getByLabel('Code', { exact: true }).fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Redeem' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'code_already_redeemed' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/already/i);
  });

  it('creates a budget for the organisation', async () => {
    const budgets = page.getByRole('region', { name: 'Budgets' });
    await budgets.getByLabel('Hard limit').fill('-1');
    await budgets.getByRole('button', { name: 'Create budget' }).click();
    await budgets.getByText('The amount cannot be negative.').waitFor();
    await budgets.getByLabel('Hard limit').fill('100');
    await budgets.getByLabel('Soft limit').fill('80.5');
    await budgets.getByRole('button', { name: 'Create budget' }).click();
    await budgets.getByRole('row', { name: /Organisation.*Per month \(UTC\).*\$100\.00.*\$80\.50/ }).waitFor();
  });

  it('shows this month’s statement and downloads the API’s CSV', async () => {
    const statement = page.getByRole('region', { name: 'Monthly statement' });
    // The top-up and the redeemed code, read again after each: 25.29 + 5.
    await expect.poll(async () => statement.getByTestId('statement-totals').innerText()).toContain('$30.29');
    const [download] = await Promise.all([page.waitForEvent('download'), statement.getByRole('button', { name: 'Download CSV' }).click()]);
    const month = new Date().toISOString().slice(0, 7);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^statement-.+-${month}\\.csv$`));
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('section,name,date,requests,prompt_tokens,completion_tokens,amount,currency');
    expect(csv).toContain('top_up,browser top-up,');
    expect(csv).toContain('25290000');
    expect(csv).toContain('closing_balance');
    await shoot('console-billing');
  });

  it('shows a tool call in the playground, sends its result and streams the final answer', async () => {
    await page.goto(`${baseUrl}/playground?model=gpt-4`);
    await page.getByLabel('Model').waitFor();
    await page.getByRole('button', { name: 'Add a tool' }).click();
    await page.getByLabel('Function name').fill('get weather');
    await page.getByLabel('Parameters (JSON Schema)').fill('{"type":');
    await page.getByRole('button', { name: 'Add tool' }).click();
    await page.getByText('Use 1–64 letters, digits, _ or -.').waitFor();
    await page.getByText('This is not valid JSON.').waitFor();
    await page.getByLabel('Function name').fill('get_weather');
    await page.getByLabel('Description (optional)').fill('The weather in a city now');
    await page.getByLabel('Parameters (JSON Schema)').fill('{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}');
    await page.getByRole('button', { name: 'Add tool' }).click();
    await page.getByRole('list', { name: 'Tools in use' }).getByText('get_weather').waitFor();

    await page.getByRole('button', { name: 'View code' }).click();
    await page.getByText('"tools": [').first().waitFor();

    await page.getByLabel('Message', { exact: true }).fill('What is the weather in Paris?');
    await page.getByRole('button', { name: 'Send' }).click();
    const call = page.getByTestId('tool-call');
    await call.waitFor();
    expect(await call.innerText()).toContain('get_weather');
    expect(await call.locator('pre').innerText()).toBe('{\n  "city": "Paris"\n}');
    const sentWithTools = upstream.received.at(-1)?.body;
    expect(sentWithTools).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city now' } }] });

    await page.getByLabel('Result of get_weather').fill('{"sky":"sunny","celsius":21}');
    await page.getByRole('button', { name: 'Send results' }).click();
    const answers = page.locator('.chat-message[data-role="assistant"]');
    await expect.poll(async () => (await answers.last().locator('.chat-text').innerText()).trim(), { timeout: 10_000 }).toBe('It is sunny in Paris today.');
    await page.getByText('Tool result (get_weather):').waitFor();
    await answers.last().getByTestId('message-usage').waitFor();
    const followUp = upstream.received.at(-1)?.body as { messages: { role: string; tool_call_id?: string; content: unknown; tool_calls?: unknown[] }[] };
    expect(followUp.messages.at(-2)).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id: 'call_stub1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
    expect(followUp.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_stub1', content: '{"sky":"sunny","celsius":21}' });
    await page.getByRole('button', { name: 'View code' }).click();
    await shoot('playground-tools');
  });

  it('lists the chat in the statement’s lines by model', async () => {
    await page.goto(`${baseUrl}/console`);
    const statement = page.getByRole('region', { name: 'Monthly statement' });
    // Usage is settled in the background moments after the stream ends.
    await expect
      .poll(
        async () => {
          await page.reload();
          await statement.getByTestId('statement-totals').waitFor();
          return statement.getByText(/Usage lines by model and project/).count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    await statement.getByText(/Usage lines by model and project/).click();
    const byModel = statement.getByRole('table', { name: 'Usage by model' });
    await byModel.getByRole('rowheader', { name: 'gpt-4' }).waitFor();
    expect(await byModel.getByRole('row', { name: /gpt-4/ }).innerText()).toMatch(/\b2\b/);
  });

  it('fits the money sections and the tools editor into 375 px', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await page.goto(`${baseUrl}/console`);
      await page.getByRole('heading', { name: 'Redemption codes', level: 2 }).waitFor();
      await page.getByRole('region', { name: 'Monthly statement' }).getByTestId('statement-totals').waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await page.goto(`${baseUrl}/playground?model=gpt-4`);
      await page.getByRole('button', { name: 'Add a tool' }).click();
      await page.getByLabel('Parameters (JSON Schema)').waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
