// Metering end to end through the HTTP gateway: the ledger balances to the micro-unit against the
// upstream's own books after 1,000 concurrent mixed requests; key scopes, rate limits and budgets
// refuse with OpenAI-shaped errors; a refused request holds nothing.
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFor, startMeteredUpstream, type MeteredUpstream } from './support/metered-upstream.js';
import { pricedModelCard } from './support/priced-model-card.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const inputPerMillion = 1_230_000n;
const outputPerMillion = 4_560_000n;

/** The cost the price says, computed here independently: micro-units, rounded half up once per request. */
function expectedCost(promptTokens: number, completionTokens: number): bigint {
  return (BigInt(promptTokens) * inputPerMillion + BigInt(completionTokens) * outputPerMillion + 500_000n) / 1_000_000n;
}

type Case = 'ok' | 'stream' | 'fail' | 'retry' | 'fallback' | 'cancel';

const mix: readonly [Case, number][] = [
  ['ok', 350],
  ['stream', 250],
  ['fail', 100],
  ['retry', 100],
  ['fallback', 100],
  ['cancel', 100],
];

describe.each(testDatabaseTargets())('the usage ledger on $name', (target) => {
  let upstream: MeteredUpstream;
  let test: TestServer;
  let baseUrl: string;
  // All 1,000 are sent at once; 256 sockets carry them (a thousand simultaneous connects overflow the listen backlog).
  const dispatcher = new Agent({ connections: 256 });

  beforeAll(async () => {
    upstream = await startMeteredUpstream();
    test = await startTestServer(
      target,
      {
        logging: { level: 'warn' },
        providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['metered', 'primary-down'] }],
        routes: [{ model: 'metered-chain', strategy: 'fallback', targets: [{ provider: 'vendor', model: 'primary-down' }, { provider: 'vendor', model: 'metered' }] }],
      },
      // Quick retries, and a breaker that never opens, so every fallback request really tries the dead target first.
      { initialBackoffMilliseconds: 1, maxBackoffMilliseconds: 5, maxRetriesPerTarget: 2, failureThreshold: 100_000 },
    );
    const card = await test.server.app.inject({
      method: 'POST',
      url: '/admin/v1/models',
      headers: { authorization: `Bearer ${test.adminKey}` },
      payload: pricedModelCard({
        id: 'metered-model',
        name: 'Metered Model',
        description: 'A priced card for the ledger test.',
        deployments: [
          { kind: 'private', provider: 'vendor', model: 'metered' },
          { kind: 'private', provider: 'vendor', model: 'primary-down' },
          { kind: 'private', route: 'metered-chain' },
        ],
        inputPerMillion: Number(inputPerMillion),
        outputPerMillion: Number(outputPerMillion),
      }),
    });
    expect(card.statusCode, card.body).toBe(201);
    baseUrl = await test.listen();
  }, 60_000);

  afterAll(async () => {
    await dispatcher.close();
    await test.close();
    await upstream.close();
  });

  async function send(kind: Case, id: string): Promise<number> {
    const model = kind === 'fallback' ? 'metered-chain' : 'vendor/metered';
    const steer = kind === 'stream' ? 'ok' : kind === 'fallback' ? 'ok' : kind;
    const stream = kind === 'stream' || kind === 'cancel';
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${test.userKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: `Please answer request ${id} briefly. case:${steer}:${id}` },
        ],
        max_tokens: 64,
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      }),
      signal: abort.signal,
      dispatcher,
    });
    if (kind !== 'cancel') {
      await response.text();
      return response.status;
    }
    // Read until every content piece has arrived, then leave without waiting for the end.
    const expected = answerFor(id).length;
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    let buffered = '';
    while (reader !== undefined && seen < expected) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      seen = (buffered.match(/"content":"[^"]+"/g) ?? []).length;
    }
    abort.abort();
    await reader?.cancel().catch(() => undefined);
    return 499;
  }

  it('balances to the micro-unit after 1,000 concurrent mixed requests (streamed, failed, cancelled, retried, fallen back)', async () => {
    const requests: { kind: Case; id: string }[] = [];
    for (const [kind, count] of mix) for (let index = 0; index < count; index += 1) requests.push({ kind, id: `${kind}-${index}` });
    const statuses = await Promise.all(requests.map(async ({ kind, id }) => ({ kind, status: await send(kind, id) })));
    for (const { kind, status } of statuses) expect(status, kind).toBe(kind === 'fail' ? 400 : kind === 'cancel' ? 499 : 200);

    // Cancelled requests settle when the gateway notices the client left; wait for every row.
    const ledger = test.database.kysely;
    const deadline = Date.now() + 20_000;
    let rows = 0;
    while (Date.now() < deadline) {
      await test.billing.flush();
      const counted = await ledger.selectFrom('usage_ledger').select((builder) => builder.fn.countAll<number>().as('rows')).executeTakeFirstOrThrow();
      rows = Number(counted.rows);
      if (rows >= requests.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toBe(requests.length);

    const entries = await ledger.selectFrom('usage_ledger').selectAll().execute();
    const byRequestText = new Map<string, (typeof entries)[number]>();
    let ledgerCost = 0n;
    let ledgerPrompt = 0;
    let ledgerCompletion = 0;
    for (const entry of entries) {
      ledgerCost += BigInt(entry.cost);
      ledgerPrompt += Number(entry.prompt_tokens);
      ledgerCompletion += Number(entry.completion_tokens);
      byRequestText.set(entry.request_id, entry);
    }

    // The upstream's own books: what it reported (or streamed, for cancelled requests).
    let upstreamPrompt = 0;
    let upstreamCompletion = 0;
    let upstreamCost = 0n;
    for (const book of upstream.books.values()) {
      upstreamPrompt += book.promptTokens;
      upstreamCompletion += book.completionTokens;
      upstreamCost += expectedCost(book.promptTokens, book.completionTokens);
    }
    expect(upstream.books.size).toBe(requests.length - 100); // every request but the refused ones produced tokens
    expect(ledgerPrompt).toBe(upstreamPrompt);
    expect(ledgerCompletion).toBe(upstreamCompletion);
    expect(ledgerCost).toBe(upstreamCost);
    expect(ledgerCost > 0n).toBe(true);

    // Failed requests cost nothing; cancelled ones were charged for what was produced.
    const statusCounts = new Map<string, number>();
    for (const entry of entries) statusCounts.set(entry.status, (statusCounts.get(entry.status) ?? 0) + 1);
    expect(statusCounts.get('error')).toBe(100);
    expect(statusCounts.get('cancelled')).toBe(100);
    for (const entry of entries) if (entry.status === 'error') expect(Number(entry.cost)).toBe(0);
    expect(entries.filter((entry) => entry.status === 'cancelled' && Number(entry.completion_tokens) > 0)).toHaveLength(100);
    // Retries and fallbacks are one entry each, charged at the deployment that answered.
    // (calls: one each, one more per retried request, three to the dead target per fallen-back request)
    expect(upstream.calls.count).toBe(requests.length + 100 + 3 * 100);
    expect(entries.filter((entry) => entry.model === 'metered-chain').every((entry) => entry.upstream_model === 'metered')).toBe(true);

    // Double entry: the usage postings move exactly the ledger's cost, and every transaction sums to zero.
    const postings = await ledger
      .selectFrom('billing_postings')
      .innerJoin('billing_transactions', 'billing_transactions.id', 'billing_postings.transaction_id')
      .where('billing_transactions.kind', '=', 'usage')
      .select(['billing_postings.amount', 'billing_postings.transaction_id'])
      .execute();
    let debited = 0n;
    const perTransaction = new Map<string, bigint>();
    for (const posting of postings) {
      if (Number(posting.amount) < 0) debited -= BigInt(posting.amount);
      perTransaction.set(posting.transaction_id, (perTransaction.get(posting.transaction_id) ?? 0n) + BigInt(posting.amount));
    }
    expect(debited).toBe(ledgerCost);
    for (const sum of perTransaction.values()) expect(sum).toBe(0n);
    // Nothing is left held once every request has settled.
    const held = await ledger.selectFrom('reservations').select((builder) => builder.fn.countAll<number>().as('held')).executeTakeFirstOrThrow();
    expect(Number(held.held)).toBe(0);
  }, 120_000);
});
