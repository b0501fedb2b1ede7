import { describe, expect, it } from 'vitest';
import { budgetRequestFromForm, codeBatchCsv, currentCursor, emptyBudgetForm, expiryFromDate, firstPage, microUnitsToDecimalText, monthOf, nextPage, parseAmountToMicroUnits, previousPage, statementFileName } from './console-money-logic';

describe('amounts typed in units', () => {
  it('turns decimal text into exact micro-units, never through a float', () => {
    expect(parseAmountToMicroUnits('12.34')).toEqual({ ok: true, microUnits: 12_340_000 });
    // 0.29 * 1e6 is 289999.99999999994 in floating point.
    expect(parseAmountToMicroUnits('0.29')).toEqual({ ok: true, microUnits: 290_000 });
    expect(parseAmountToMicroUnits(' 1,000.5 ')).toEqual({ ok: true, microUnits: 1_000_500_000 });
    expect(parseAmountToMicroUnits('.5')).toEqual({ ok: true, microUnits: 500_000 });
    expect(parseAmountToMicroUnits('7.')).toEqual({ ok: true, microUnits: 7_000_000 });
    expect(parseAmountToMicroUnits('0.000001')).toEqual({ ok: true, microUnits: 1 });
    expect(parseAmountToMicroUnits('2.50000000')).toEqual({ ok: true, microUnits: 2_500_000 });
  });

  it('refuses what the API would refuse, with a reason', () => {
    expect(parseAmountToMicroUnits('')).toEqual({ ok: false, problem: 'empty' });
    expect(parseAmountToMicroUnits('abc')).toEqual({ ok: false, problem: 'invalid' });
    expect(parseAmountToMicroUnits('1e3')).toEqual({ ok: false, problem: 'invalid' });
    expect(parseAmountToMicroUnits('.')).toEqual({ ok: false, problem: 'invalid' });
    expect(parseAmountToMicroUnits('-5')).toEqual({ ok: false, problem: 'negative' });
    expect(parseAmountToMicroUnits('0')).toEqual({ ok: false, problem: 'zero' });
    expect(parseAmountToMicroUnits('0', { allowZero: true })).toEqual({ ok: true, microUnits: 0 });
    expect(parseAmountToMicroUnits('0.0000001')).toEqual({ ok: false, problem: 'tooPrecise' });
    expect(parseAmountToMicroUnits('99999999999999')).toEqual({ ok: false, problem: 'tooLarge' });
  });

  it('writes micro-units back as exact decimal text', () => {
    expect(microUnitsToDecimalText(12_340_000)).toBe('12.34');
    expect(microUnitsToDecimalText(1)).toBe('0.000001');
    expect(microUnitsToDecimalText(5_000_000)).toBe('5');
    expect(microUnitsToDecimalText(-250_000)).toBe('-0.25');
  });
});

describe('files and dates', () => {
  it('writes a code batch as CSV, one code a line', () => {
    const csv = codeBatchCsv({ batch_id: 'batch_1', amount: 5_000_000, currency: 'USD', expires_at: null, codes: ['MMR-AAAA', 'MMR-BBBB'] });
    expect(csv).toBe('code,amount,currency,expires_at,batch_id\r\nMMR-AAAA,5,USD,,batch_1\r\nMMR-BBBB,5,USD,,batch_1\r\n');
  });

  it('names statement files safely', () => {
    expect(statementFileName('org_default', '2026-11', 'csv')).toBe('statement-org_default-2026-11.csv');
    expect(statementFileName('a/../b', '2026-11', 'json')).toBe('statement-a_.._b-2026-11.json');
  });

  it('gives the month in UTC and an expiry at the end of the day', () => {
    expect(monthOf(new Date('2026-11-30T23:30:00Z'))).toBe('2026-11');
    expect(expiryFromDate('2027-01-31')).toBe('2027-01-31T23:59:59Z');
    expect(expiryFromDate('')).toBeNull();
  });
});

describe('budgets', () => {
  it('builds an organisation budget with limits in micro-units; empty means no limit', () => {
    expect(budgetRequestFromForm({ ...emptyBudgetForm, organisationId: 'org_1', hardLimit: '100', softLimit: '' })).toEqual({
      ok: true,
      body: { scope_type: 'organisation', scope_id: 'org_1', period: 'month', currency: 'USD', hard_limit: 100_000_000, soft_limit: null },
    });
  });

  it('names the organisation for a key budget, allows zero and refuses a negative limit', () => {
    expect(budgetRequestFromForm({ ...emptyBudgetForm, scopeType: 'key', scopeId: ' key_1 ', organisationId: 'org_1', period: 'day', hardLimit: '0', softLimit: '0.5' })).toEqual({
      ok: true,
      body: { scope_type: 'key', scope_id: 'key_1', organisation_id: 'org_1', period: 'day', currency: 'USD', hard_limit: 0, soft_limit: 500_000 },
    });
    expect(budgetRequestFromForm({ ...emptyBudgetForm, organisationId: 'org_1', softLimit: '-1' })).toEqual({ ok: false, field: 'softLimit', problem: 'negative' });
  });
});

describe('cursor pages', () => {
  it('steps forward with the next cursor and back through the ones seen', () => {
    let trail = firstPage;
    expect(currentCursor(trail)).toBeUndefined();
    trail = nextPage(trail, 'c2');
    trail = nextPage(trail, 'c3');
    expect(currentCursor(trail)).toBe('c3');
    expect(nextPage(trail, null)).toBe(trail);
    trail = previousPage(trail);
    expect(currentCursor(trail)).toBe('c2');
    expect(previousPage(previousPage(trail))).toEqual(firstPage);
  });
});
