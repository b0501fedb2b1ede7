import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { configSchema } from '../../config/index.js';
import { openDatabase } from '../../storage/index.js';
import { SafeHttpClient } from '../actions/index.js';
import { KnowledgeService } from './knowledge-service.js';
import { KnowledgeSourcePoller } from './knowledge-source-poller.js';
import { KnowledgeSourceService } from './knowledge-source-service.js';

const config = configSchema.parse({ gpts: { outbound: { allowList: ['127.0.0.1'] } } });

interface Site {
  readonly baseUrl: string;
  readonly pages: Map<string, { readonly type: string; readonly body: string }>;
  /** Start and end times of each request per path, to see overlaps and intervals. */
  readonly requests: Map<string, { start: number; end: number }[]>;
  close(): Promise<void>;
}

async function startSite(): Promise<Site> {
  const pages = new Map<string, { type: string; body: string }>();
  const requests = new Map<string, { start: number; end: number }[]>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    const entry = { start: Date.now(), end: 0 };
    requests.set(path, [...(requests.get(path) ?? []), entry]);
    const page = pages.get(path);
    // A little latency makes two pollers' overlapping fetches visible if the lease failed.
    setTimeout(() => {
      entry.end = Date.now();
      if (page === undefined) response.writeHead(404).end('missing');
      else response.writeHead(200, { 'content-type': page.type }).end(page.body);
    }, 30);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, pages, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function rss(items: readonly { guid: string; title: string; body: string; date: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Company news</title>${items
    .map((item) => `<item><guid>${item.guid}</guid><title>${item.title}</title><link>https://news.example.com/${item.guid}</link><description><![CDATA[<p>${item.body}</p>]]></description><pubDate>${item.date}</pubDate></item>`)
    .join('')}</channel></rss>`;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMilliseconds: number): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDatabaseTargets())('GPT knowledge live sources on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let site: Site;
  let knowledge: KnowledgeService;
  let sources: KnowledgeSourceService;
  const http = new SafeHttpClient(config.gpts.outbound);

  beforeAll(async () => {
    opened = await target.open();
    site = await startSite();
    knowledge = new KnowledgeService({ database: opened.database, config: config.gpts.knowledge });
    sources = new KnowledgeSourceService({ database: opened.database, knowledge, http, config: config.gpts.knowledge, minimumPollIntervalSeconds: 1 });
  });
  afterAll(async () => {
    await site.close();
    await opened.dispose();
  });

  it('polls a feed: each item is a document with its date, and a new item is searchable within one poll interval', async () => {
    site.pages.set('/feed.xml', { type: 'application/rss+xml', body: rss([{ guid: 'item-1', title: 'Quarterly results', body: 'Revenue grew in the northern region.', date: 'Tue, 10 Jun 2025 04:00:00 GMT' }]) });
    const source = await sources.createSource('gpt_feed', { kind: 'feed', url: `${site.baseUrl}/feed.xml`, poll_interval_seconds: 1 });
    const poller = new KnowledgeSourcePoller({ database: opened.database, sources, tickMilliseconds: 100 });
    poller.start();
    try {
      const [first] = await waitFor(async () => {
        const found = await knowledge.retrieve('gpt_feed', 'northern revenue', { limit: 3 });
        return found.length > 0 ? found : undefined;
      }, 5_000);
      expect(first).toMatchObject({ title: 'Quarterly results', source: 'https://news.example.com/item-1', date: '2025-06-10T04:00:00.000Z' });

      site.pages.set('/feed.xml', {
        type: 'application/rss+xml',
        body: rss([
          { guid: 'item-2', title: 'New office', body: 'We opened an office in Lisbon.', date: 'Wed, 11 Jun 2025 09:30:00 GMT' },
          { guid: 'item-1', title: 'Quarterly results', body: 'Revenue grew in the northern region.', date: 'Tue, 10 Jun 2025 04:00:00 GMT' },
        ]),
      });
      const changedAt = Date.now();
      const [second] = await waitFor(async () => {
        const found = await knowledge.retrieve('gpt_feed', 'Lisbon office', { limit: 1 });
        return found.length > 0 ? found : undefined;
      }, 5_000);
      // One poll interval (1 s) plus the poller's tick and the fetch.
      expect(Date.now() - changedAt).toBeLessThan(1_600);
      expect(second).toMatchObject({ title: 'New office', date: '2025-06-11T09:30:00.000Z' });
      expect((await knowledge.listDocuments('gpt_feed')).length).toBe(2);
      expect(await sources.getSource('gpt_feed', source.id)).toMatchObject({ status: 'active', last_error: null, title: 'Company news' });
    } finally {
      await poller.stop();
    }
  });

  it('marks a feed that answers with an HTML page as failed with feed_not_xml and indexes nothing', async () => {
    site.pages.set('/blog', { type: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Welcome to our blog</p></body></html>' });
    const source = await sources.createSource('gpt_html_feed', { kind: 'feed', url: `${site.baseUrl}/blog`, poll_interval_seconds: 1 });
    const outcome = await sources.pollSource(source.id);
    expect(outcome).toMatchObject({ ok: false, added: 0, error: { code: 'feed_not_xml' } });
    expect(await sources.getSource('gpt_html_feed', source.id)).toMatchObject({ status: 'failed', last_error: { code: 'feed_not_xml', message: expect.stringContaining('HTML page') } });
    expect(await knowledge.listDocuments('gpt_html_feed')).toEqual([]);
  });

  it('re-fetches a URL and replaces its document only when the content changed; a refused destination is recorded', async () => {
    site.pages.set('/handbook', { type: 'text/html', body: '<html><head><title>Handbook</title></head><body><p>Holidays: twenty five days.</p></body></html>' });
    const source = await sources.createSource('gpt_url', { kind: 'url', url: `${site.baseUrl}/handbook`, poll_interval_seconds: 1 });
    expect(await sources.pollSource(source.id)).toEqual({ ok: true, added: 1 });
    const [first] = await knowledge.listDocuments('gpt_url');
    expect(first).toMatchObject({ title: 'Handbook', source: `${site.baseUrl}/handbook`, source_id: source.id });
    expect(await sources.pollSource(source.id)).toEqual({ ok: true, added: 0 });
    expect((await knowledge.listDocuments('gpt_url')).map((document) => document.id)).toEqual([first?.id]);
    site.pages.set('/handbook', { type: 'text/html', body: '<html><head><title>Handbook</title></head><body><p>Holidays: thirty days from 2026.</p></body></html>' });
    expect(await sources.pollSource(source.id)).toEqual({ ok: true, added: 1 });
    const documents = await knowledge.listDocuments('gpt_url');
    expect(documents).toHaveLength(1);
    expect(documents[0]?.id).not.toBe(first?.id);
    expect((await knowledge.retrieve('gpt_url', 'holidays', { limit: 5 })).map((passage) => passage.text)).toEqual(['Holidays: thirty days from 2026.']);

    const strict = new KnowledgeSourceService({ database: opened.database, knowledge, http: new SafeHttpClient(configSchema.parse({}).gpts.outbound), config: config.gpts.knowledge, minimumPollIntervalSeconds: 1 });
    const refused = await strict.createSource('gpt_url', { kind: 'url', url: `${site.baseUrl}/handbook` });
    expect(await strict.pollSource(refused.id)).toMatchObject({ ok: false, error: { code: 'destination_not_allowed' } });
    await expect(strict.createSource('gpt_url', { kind: 'feed', url: `${site.baseUrl}/x`, poll_interval_seconds: 0.5 as number })).rejects.toThrow();
  });

  it('takes pushed documents on a webhook with its secret, refuses a wrong one with 401, replaces a document pushed again by id', async () => {
    const webhook = await sources.createSource('gpt_webhook', { kind: 'webhook', title: 'CRM' });
    expect(webhook.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await sources.listSources('gpt_webhook'))).not.toContain(webhook.secret ?? 'none');
    const push = { documents: [{ id: 'ticket-1', title: 'Ticket 1', text: 'The printer on floor three jams daily.', published_at: '2025-05-01T08:00:00Z' }] };
    await expect(sources.pushDocuments(webhook.id, 'whsec_wrong', push)).rejects.toMatchObject({ status: 401 });
    await expect(sources.pushDocuments(webhook.id, undefined, push)).rejects.toMatchObject({ status: 401 });
    expect(await knowledge.listDocuments('gpt_webhook')).toEqual([]);
    const [stored] = await sources.pushDocuments(webhook.id, webhook.secret, push);
    expect(stored).toMatchObject({ title: 'Ticket 1', source: 'webhook:CRM', published_at: '2025-05-01T08:00:00.000Z' });
    expect((await knowledge.retrieve('gpt_webhook', 'printer jams', { limit: 1 }))[0]).toMatchObject({ title: 'Ticket 1', date: '2025-05-01T08:00:00.000Z' });
    await sources.pushDocuments(webhook.id, webhook.secret, { id: 'ticket-1', title: 'Ticket 1', text: 'The printer was replaced.' });
    expect(await knowledge.listDocuments('gpt_webhook')).toHaveLength(1);
    await sources.deleteSource('gpt_webhook', webhook.id);
    expect(await knowledge.listDocuments('gpt_webhook')).toEqual([]);
    await expect(sources.pushDocuments(webhook.id, webhook.secret, push)).rejects.toMatchObject({ status: 401 });
  });

  it('removes all of a GPT\'s knowledge and sources when the GPT goes', async () => {
    expect((await knowledge.listDocuments('gpt_feed')).length).toBeGreaterThan(0);
    expect(await knowledge.deleteAllOf('gpt_feed')).toBe(2);
    expect(await knowledge.listDocuments('gpt_feed')).toEqual([]);
    expect(await sources.listSources('gpt_feed')).toEqual([]);
    expect(await knowledge.retrieve('gpt_feed', 'Lisbon office', { limit: 3 })).toEqual([]);
  });

  it('two pollers sharing the database poll a source once per interval, never at the same time', async () => {
    site.pages.set('/shared.xml', { type: 'application/rss+xml', body: rss([{ guid: 'shared-1', title: 'Shared', body: 'One item.', date: 'Tue, 10 Jun 2025 04:00:00 GMT' }]) });
    const second = await openDatabase(opened.options);
    const otherKnowledge = new KnowledgeService({ database: second, config: config.gpts.knowledge });
    const otherSources = new KnowledgeSourceService({ database: second, knowledge: otherKnowledge, http, config: config.gpts.knowledge, minimumPollIntervalSeconds: 1 });
    const pollers = [
      new KnowledgeSourcePoller({ database: opened.database, sources, tickMilliseconds: 20, owner: 'server-a' }),
      new KnowledgeSourcePoller({ database: second, sources: otherSources, tickMilliseconds: 20, owner: 'server-b' }),
    ];
    await sources.createSource('gpt_shared', { kind: 'feed', url: `${site.baseUrl}/shared.xml`, poll_interval_seconds: 1 });
    const started = Date.now();
    for (const poller of pollers) poller.start();
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    await Promise.all(pollers.map((poller) => poller.stop()));
    await second.close();
    const requests = site.requests.get('/shared.xml') ?? [];
    // Polls at about 0 s, 1 s, 2 s and 3 s after the start: one per interval, not one per poller.
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.length).toBeLessThanOrEqual(4);
    expect(requests[0]?.start ?? 0).toBeLessThan(started + 500);
    for (let index = 1; index < requests.length; index += 1) {
      const gap = (requests[index]?.start ?? 0) - (requests[index - 1]?.end ?? 0);
      expect(gap).toBeGreaterThanOrEqual(950);
    }
    expect((await knowledge.listDocuments('gpt_shared')).length).toBe(1);
  });
});
