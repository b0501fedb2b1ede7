import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/test-databases.js';
import type { Database } from '../storage/index.js';
import { renderCsv } from './usage-report-csv.js';
import { UsageReportService } from './usage-report-service.js';
import { ledgerRow } from './__fixtures__/usage-ledger-rows.js';

describe('CSV rendering', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    const csv = renderCsv(['a', 'b', 'c'], [
      { a: 'plain', b: 'with, comma', c: 'say "hi"' },
      { a: 'two\nlines', b: '=SUM(A1)', c: -5 },
      { a: null, b: undefined, c: 0 },
    ]);
    expect(csv).toBe('a,b,c\r\nplain,"with, comma","say ""hi"""\r\n"two\nlines",\'=SUM(A1),-5\r\n,,0\r\n');
  });
});

describe.each(testDatabaseTargets())('usage reports on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  let reports: UsageReportService;
  beforeEach(async () => {
    opened = await target.open();
    database = opened.database;
    reports = new UsageReportService(database);
    await database.kysely
      .insertInto('usage_ledger')
      .values([
        ledgerRow({ request_id: 'r1', created_at: '2026-11-01T10:00:00.000Z' }),
        ledgerRow({ request_id: 'r2', created_at: '2026-11-01T11:00:00.000Z', model: 'qwen, "large"', cost: 2_500 }),
        ledgerRow({ request_id: 'r3', created_at: '2026-11-02T09:00:00.000Z', project_id: 'proj_b', provider: 'local' }),
        ledgerRow({ request_id: 'r4', created_at: '2026-11-02T09:30:00.000Z', organisation_id: 'org_b', cost: 7 }),
        ledgerRow({ request_id: 'r5', created_at: '2026-12-01T00:00:00.000Z', cost: 9_999 }),
      ])
      .execute();
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('groups by model and day within the range, per organisation', async () => {
    const report = await reports.usage({ organisationId: 'org_a', from: '2026-11-01', to: '2026-11-30', groupBy: ['model', 'day'] });
    expect(report.data).toEqual([
      { model: 'chat-default', day: '2026-11-01', currency: 'USD', requests: 1, prompt_tokens: 100, completion_tokens: 50, cached_tokens: 10, reasoning_tokens: 5, cost: 1_000 },
      { model: 'chat-default', day: '2026-11-02', currency: 'USD', requests: 1, prompt_tokens: 100, completion_tokens: 50, cached_tokens: 10, reasoning_tokens: 5, cost: 1_000 },
      { model: 'qwen, "large"', day: '2026-11-01', currency: 'USD', requests: 1, prompt_tokens: 100, completion_tokens: 50, cached_tokens: 10, reasoning_tokens: 5, cost: 2_500 },
    ]);
    const everything = await reports.usage({ from: '2026-11-01', to: '2026-12-01T00:00:00Z' });
    expect(everything.data).toEqual([{ currency: 'USD', requests: 4, prompt_tokens: 400, completion_tokens: 200, cached_tokens: 40, reasoning_tokens: 20, cost: 4_507 }]);
    const byProject = await reports.usage({ organisationId: 'org_a', from: '2026-11-01', to: '2026-12-01', groupBy: ['project', 'provider'] });
    // A date as 'to' includes that whole day, so December 1st's request is in.
    expect(byProject.data.map((row) => [row.project_id, row.provider, row.requests, row.cost])).toEqual([
      ['proj_a', 'openai', 3, 13_499],
      ['proj_b', 'local', 1, 1_000],
    ]);
  });

  it('writes CSV with the grouped columns first and proper quoting', async () => {
    const report = await reports.usage({ organisationId: 'org_a', from: '2026-11-01', to: '2026-11-01', groupBy: ['model'] });
    expect(UsageReportService.toCsv(report)).toBe(
      'model,currency,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,cost\r\n' +
        'chat-default,USD,1,100,50,10,5,1000\r\n' +
        '"qwen, ""large""",USD,1,100,50,10,5,2500\r\n',
    );
  });

  it('refuses a range that ends before it starts and unknown groups', async () => {
    await expect(reports.usage({ from: '2026-11-05', to: '2026-11-01' })).rejects.toMatchObject({ status: 400, param: 'from', code: 'invalid_range' });
    await expect(reports.usage({ from: '2026-11-01', to: '2026-11-05', groupBy: ['model', 'colour'] })).rejects.toMatchObject({ status: 400, param: 'group_by', message: expect.stringContaining('"colour"') });
    await expect(reports.usage({ from: 'yesterday', to: '2026-11-05' })).rejects.toMatchObject({ status: 400, param: 'from' });
  });
});
