import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/test-databases.js';
import { configSchema } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { CreditService } from './credit-service.js';
import { canonicalRedemptionCode } from './redemption-code-format.js';
import { RedemptionService } from './redemption-service.js';

const billing = configSchema.parse({ billing: { currency: 'USD', exchangeRates: { CNY: 7 } } }).billing;
const secret = randomBytes(32);
const hashCode = (code: string) => createHmac('sha256', secret).update(code).digest('hex');
const clockAt = (iso: string): Clock => ({ now: () => new Date(iso), monotonicMilliseconds: () => 0 });

describe('redemption code format', () => {
  it('forgives case, spaces and look-alike letters', () => {
    expect(canonicalRedemptionCode('mmr-abcd-efgh-jkmn-pq0O ')).toBe('MMR-ABCD-EFGH-JKMN-PQ00');
    expect(canonicalRedemptionCode('MMR ABCD EFGH JKMN PQIL')).toBe('MMR-ABCD-EFGH-JKMN-PQ11');
    expect(canonicalRedemptionCode('MMR-ABCD-EFGH-JKMN')).toBeUndefined();
    expect(canonicalRedemptionCode('XYZ-ABCD-EFGH-JKMN-PQRS')).toBeUndefined();
  });
});

describe.each(testDatabaseTargets())('redemption codes on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  let codes: RedemptionService;
  beforeEach(async () => {
    opened = await target.open();
    database = opened.database;
    codes = new RedemptionService({ database, config: billing, hashCode, clock: clockAt('2026-11-28T12:00:00.000Z') });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('shows codes once, stores only their HMAC, and credits once', async () => {
    const batch = await codes.createCodes({ count: 3, amount: 2_000_000, currency: 'USD', createdBy: 'key_admin' });
    expect(batch.codes).toHaveLength(3);
    for (const code of batch.codes) expect(code).toMatch(/^MMR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const stored = await database.kysely.selectFrom('redemption_codes').selectAll().execute();
    expect(stored.map((row) => row.code_hash).sort()).toEqual(batch.codes.map(hashCode).sort());
    expect(JSON.stringify(stored)).not.toContain(batch.codes[0]!.slice(4));

    const credited = await codes.redeem({ organisationId: 'org_a', code: batch.codes[0]!.toLowerCase() });
    expect(credited).toMatchObject({ credited_amount: 2_000_000, balance: 2_000_000 });
    await expect(codes.redeem({ organisationId: 'org_b', code: batch.codes[0]! })).rejects.toMatchObject({ status: 409, code: 'code_already_redeemed' });
    await expect(codes.redeem({ organisationId: 'org_a', code: 'MMR-0000-0000-0000-0000' })).rejects.toMatchObject({ status: 404, code: 'code_not_found' });
    await expect(codes.redeem({ organisationId: 'org_a', code: 'hello' })).rejects.toMatchObject({ status: 404 });
    const balance = await new CreditService({ database, config: billing }).balance('org_a');
    expect(balance.balance).toBe(2_000_000);
    const transactions = await database.kysely.selectFrom('billing_transactions').select('kind').execute();
    expect(transactions).toEqual([{ kind: 'redemption' }]);
  });

  it('lets exactly one of many concurrent redemptions of one code win', async () => {
    const [code] = (await codes.createCodes({ count: 1, amount: 1_000_000, currency: 'USD' })).codes;
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, index) => codes.redeem({ organisationId: `org_${index % 3}`, code: code! })));
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((outcome) => (outcome.reason as { code?: string }).code === 'code_already_redeemed')).toBe(true);
    const total = await database.kysely.selectFrom('billing_accounts').select((builder) => builder.fn.sum<number>('balance').as('total')).where('kind', '=', 'customer').executeTakeFirstOrThrow();
    expect(Number(total.total)).toBe(1_000_000);
    expect(await database.kysely.selectFrom('billing_postings').selectAll().execute()).toHaveLength(2);
  }, 60_000);

  it('refuses an expired code with 410 and past expiries at creation', async () => {
    const batch = await codes.createCodes({ count: 1, amount: 5, currency: 'USD', expiresAt: '2026-11-28T13:00:00Z' });
    const later = new RedemptionService({ database, config: billing, hashCode, clock: clockAt('2026-11-28T14:00:00.000Z') });
    await expect(later.redeem({ organisationId: 'org_a', code: batch.codes[0]! })).rejects.toMatchObject({ status: 410, code: 'code_expired' });
    await expect(codes.createCodes({ count: 1, amount: 5, currency: 'USD', expiresAt: '2026-11-28T11:00:00Z' })).rejects.toMatchObject({ status: 400, param: 'expires_at' });
    await expect(codes.createCodes({ count: 1, amount: 0.5, currency: 'USD' })).rejects.toMatchObject({ status: 400, param: 'amount' });
    await expect(codes.createCodes({ count: 0, amount: 5, currency: 'USD' })).rejects.toMatchObject({ status: 400, param: 'count' });
    expect((await codes.redeem({ organisationId: 'org_a', code: batch.codes[0]! }).catch(() => 'still valid before expiry')) ).toMatchObject({ credited_amount: 5 });
  });

  it('leaves the code unused when the credit cannot be converted', async () => {
    await new CreditService({ database, config: billing }).setAccount('org_cny', { mode: 'prepaid', currency: 'CNY' });
    const strict = new RedemptionService({ database, config: { ...billing, exchangeRates: {} }, hashCode });
    const [code] = (await strict.createCodes({ count: 1, amount: 1_000_000, currency: 'USD' })).codes;
    await expect(strict.redeem({ organisationId: 'org_cny', code: code! })).rejects.toMatchObject({ status: 400, code: 'currency_without_exchange_rate' });
    const converted = await codes.redeem({ organisationId: 'org_cny', code: code! });
    expect(converted).toMatchObject({ credited_amount: 7_000_000, account_currency: 'CNY' });
  });
});
