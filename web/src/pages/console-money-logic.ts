// Pure logic behind the console's money sections: amounts typed in a currency's units turned
// into the API's integer micro-units without floating point, a batch of redemption codes as
// CSV, statement file names, the month picker's default and the budget request from its form.

/** Why a typed amount was refused; each is a message key under `account.amount.`. */
export type AmountProblem = 'empty' | 'invalid' | 'negative' | 'zero' | 'tooPrecise' | 'tooLarge';

export type AmountParse = { readonly ok: true; readonly microUnits: number } | { readonly ok: false; readonly problem: AmountProblem };

const microDigits = 6;

/**
 * "12.34" in a currency's units as micro-units (12_340_000). The decimal text is read digit
 * by digit (never through a float, which would turn 0.29 into 289_999.99…); more than six
 * decimals that are not zeros would be a fraction of a micro-unit and is refused, as is a sign.
 */
export function parseAmountToMicroUnits(text: string, options: { readonly allowZero?: boolean } = {}): AmountParse {
  const trimmed = text.trim().replace(/[\s,_]/g, '');
  if (trimmed === '') return { ok: false, problem: 'empty' };
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (match === null || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) return { ok: false, problem: 'invalid' };
  const [, sign = '', whole = '', fraction = ''] = match;
  const significantFraction = fraction.replace(/0+$/, '');
  if (significantFraction.length > microDigits) return { ok: false, problem: 'tooPrecise' };
  const digits = `${whole === '' ? '0' : whole}${significantFraction.padEnd(microDigits, '0')}`;
  const microUnits = BigInt(digits);
  if (microUnits > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, problem: 'tooLarge' };
  if (microUnits === 0n) return options.allowZero === true ? { ok: true, microUnits: 0 } : { ok: false, problem: 'zero' };
  if (sign === '-') return { ok: false, problem: 'negative' };
  return { ok: true, microUnits: Number(microUnits) };
}

/** Micro-units as exact decimal text in the currency's units ("12.34"), for files people import elsewhere. */
export function microUnitsToDecimalText(microUnits: number): string {
  const negative = microUnits < 0;
  const digits = String(Math.abs(Math.trunc(microUnits))).padStart(microDigits + 1, '0');
  const whole = digits.slice(0, -microDigits);
  const fraction = digits.slice(-microDigits).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface CodeBatch {
  readonly batch_id: string;
  readonly amount: number;
  readonly currency: string;
  readonly expires_at: string | null;
  readonly codes: readonly string[];
}

/** The batch as CSV (one code a line) for the download: the API shows the codes this once only. */
export function codeBatchCsv(batch: CodeBatch): string {
  const lines = [['code', 'amount', 'currency', 'expires_at', 'batch_id'].join(',')];
  for (const code of batch.codes) lines.push([code, microUnitsToDecimalText(batch.amount), batch.currency, batch.expires_at ?? '', batch.batch_id].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name safe on every system: only letters, digits, dot, dash and underscore survive. */
function fileNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}

export function statementFileName(organisationId: string, month: string, extension: 'csv' | 'json'): string {
  return `statement-${fileNamePart(organisationId)}-${fileNamePart(month)}.${extension}`;
}

export function codeBatchFileName(batchId: string): string {
  return `redemption-codes-${fileNamePart(batchId)}.csv`;
}

/** The month a date falls in (UTC), as the statements API takes it. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** An expiry date (a day, from a date field) as the end of that day in UTC; empty means none. */
export function expiryFromDate(day: string): string | null {
  return day === '' ? null : `${day}T23:59:59Z`;
}

export interface BudgetForm {
  readonly scopeType: 'organisation' | 'project' | 'key';
  readonly scopeId: string;
  readonly organisationId: string;
  readonly period: 'day' | 'month';
  readonly currency: 'USD' | 'CNY';
  readonly hardLimit: string;
  readonly softLimit: string;
}

export const emptyBudgetForm: BudgetForm = { scopeType: 'organisation', scopeId: '', organisationId: '', period: 'month', currency: 'USD', hardLimit: '', softLimit: '' };

export type BudgetRequest = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly field: 'hardLimit' | 'softLimit'; readonly problem: AmountProblem };

/** The POST /admin/v1/budgets body; an empty limit is no limit (null), zero is allowed (refuses everything). */
export function budgetRequestFromForm(form: BudgetForm): BudgetRequest {
  const limits: Record<string, number | null> = {};
  for (const [field, apiName] of [
    ['hardLimit', 'hard_limit'],
    ['softLimit', 'soft_limit'],
  ] as const) {
    if (form[field].trim() === '') {
      limits[apiName] = null;
      continue;
    }
    const parsed = parseAmountToMicroUnits(form[field], { allowZero: true });
    if (!parsed.ok) return { ok: false, field, problem: parsed.problem };
    limits[apiName] = parsed.microUnits;
  }
  const scopeId = form.scopeType === 'organisation' ? form.organisationId : form.scopeId.trim();
  return {
    ok: true,
    body: { scope_type: form.scopeType, scope_id: scopeId, ...(form.scopeType === 'organisation' ? {} : { organisation_id: form.organisationId }), period: form.period, currency: form.currency, ...limits },
  };
}

/**
 * Cursor pages walked both ways: the API gives only the next page's cursor, so the cursors of
 * the pages seen are kept to step back. The first page has no cursor (undefined).
 */
export interface CursorTrail {
  readonly cursors: readonly (string | undefined)[];
}

export const firstPage: CursorTrail = { cursors: [undefined] };

export function currentCursor(trail: CursorTrail): string | undefined {
  return trail.cursors[trail.cursors.length - 1];
}

export function nextPage(trail: CursorTrail, nextCursor: string | null | undefined): CursorTrail {
  return nextCursor === null || nextCursor === undefined ? trail : { cursors: [...trail.cursors, nextCursor] };
}

export function previousPage(trail: CursorTrail): CursorTrail {
  return trail.cursors.length <= 1 ? trail : { cursors: trail.cursors.slice(0, -1) };
}
