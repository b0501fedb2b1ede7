// Usage reports over the usage ledger: requests, tokens and cost grouped by any of model, project,
// key, day and provider (always per currency, since amounts in two currencies never add up),
// as JSON rows or CSV.
import { sql } from 'kysely';
import { z } from 'zod';
import { currencySchema } from '../config/index.js';
import { invalidRequest } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { organisationIdSchema, parseInput } from './credit-exchange.js';
import { renderCsv } from './usage-report-csv.js';

export const usageGroupSchema = z.enum(['model', 'project', 'key', 'day', 'provider']);
export type UsageGroup = z.infer<typeof usageGroupSchema>;

const groupColumns = { model: 'model', project: 'project_id', key: 'key_id', day: 'day', provider: 'provider' } as const;

const dateOrTimeSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (YYYY-MM-DD) or an ISO-8601 date and time' });

export const usageQuerySchema = z.strictObject({
  organisationId: organisationIdSchema.optional(),
  /** Inclusive. A date means that day's start (UTC). */
  from: dateOrTimeSchema,
  /** A date includes that whole day (UTC); a date and time is exclusive. */
  to: dateOrTimeSchema,
  groupBy: z.array(z.string()).default([]),
});
export type UsageQuery = z.input<typeof usageQuerySchema>;

export const usageRowSchema = z.object({
  model: z.string().optional(),
  project_id: z.string().optional(),
  key_id: z.string().optional(),
  day: z.string().optional(),
  provider: z.string().optional(),
  currency: currencySchema,
  requests: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  cached_tokens: z.number().int(),
  reasoning_tokens: z.number().int(),
  cost: z.number().int(),
});
export type UsageRow = z.infer<typeof usageRowSchema>;

export interface UsageReport {
  readonly object: 'usage_report';
  readonly from: string;
  readonly to: string;
  readonly organisation_id: string | null;
  readonly group_by: UsageGroup[];
  readonly data: UsageRow[];
}

/** The half-open range [start, end) of created_at that a from/to pair covers. */
export function usageRange(from: string, to: string): { start: string; end: string } {
  const start = new Date(from.length === 10 ? `${from}T00:00:00Z` : from);
  const end = to.length === 10 ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : new Date(to);
  if (start.getTime() >= end.getTime()) throw invalidRequest(`'from' (${from}) must be before 'to' (${to}).`, 'from', 'invalid_range');
  return { start: start.toISOString(), end: end.toISOString() };
}

export function parseUsageGroups(names: readonly string[]): UsageGroup[] {
  const groups: UsageGroup[] = [];
  for (const name of names) {
    const parsed = usageGroupSchema.safeParse(name.trim());
    if (!parsed.success) throw invalidRequest(`Unknown group ${JSON.stringify(name)} in group_by; use any of ${usageGroupSchema.options.join(', ')}.`, 'group_by', 'unknown_group');
    if (!groups.includes(parsed.data)) groups.push(parsed.data);
  }
  return groups;
}

const usageTotalColumns = ['currency', 'requests', 'prompt_tokens', 'completion_tokens', 'cached_tokens', 'reasoning_tokens', 'cost'] as const;

export class UsageReportService {
  constructor(private readonly database: Database) {}

  async usage(query: UsageQuery): Promise<UsageReport> {
    const parsed = parseInput(usageQuerySchema, query);
    const groups = parseUsageGroups(parsed.groupBy);
    const { start, end } = usageRange(parsed.from, parsed.to);
    const columns = groups.map((group) => groupColumns[group]);
    let select = this.database.kysely
      .selectFrom('usage_ledger')
      .select(columns)
      .select('currency')
      .select((builder) => [
        builder.fn.countAll<number>().as('requests'),
        sql<number>`coalesce(sum(prompt_tokens), 0)`.as('prompt_tokens'),
        sql<number>`coalesce(sum(completion_tokens), 0)`.as('completion_tokens'),
        sql<number>`coalesce(sum(cached_tokens), 0)`.as('cached_tokens'),
        sql<number>`coalesce(sum(reasoning_tokens), 0)`.as('reasoning_tokens'),
        sql<number>`coalesce(sum(cost), 0)`.as('cost'),
      ])
      .where('created_at', '>=', start)
      .where('created_at', '<', end);
    if (parsed.organisationId !== undefined) select = select.where('organisation_id', '=', parsed.organisationId);
    select = select.groupBy([...columns, 'currency']);
    for (const column of [...columns, 'currency' as const]) select = select.orderBy(column);
    const rows = await select.execute();
    const data = rows.map((row) =>
      usageRowSchema.parse({
        ...row,
        requests: Number(row.requests),
        prompt_tokens: Number(row.prompt_tokens),
        completion_tokens: Number(row.completion_tokens),
        cached_tokens: Number(row.cached_tokens),
        reasoning_tokens: Number(row.reasoning_tokens),
        cost: Number(row.cost),
      }),
    );
    return { object: 'usage_report', from: start, to: end, organisation_id: parsed.organisationId ?? null, group_by: groups, data };
  }

  /** The report as CSV: the grouped columns, then currency and the totals. */
  static toCsv(report: UsageReport): string {
    const columns = [...report.group_by.map((group) => groupColumns[group]), ...usageTotalColumns];
    return renderCsv(columns, report.data);
  }
}
