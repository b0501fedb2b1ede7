// Budgets as the admin API manages them: create, list, read, change and delete spending limits on
// an organisation, project or key, per UTC day or month. Enforcement (reservations, spend, the
// soft-limit notice) lives in BillingService; this file only keeps the rows right.
import { z } from 'zod';
import { currencySchema } from '../config/index.js';
import { conflict, invalidRequest, newId, notFound, systemClock, type Clock } from '../core/index.js';
import type { Database, DatabaseSchema } from '../storage/index.js';
import { organisationIdSchema, parseInput } from './credit-exchange.js';

const limitSchema = z.number().int({ error: 'expected whole micro-units' }).nonnegative().max(Number.MAX_SAFE_INTEGER).nullable();

export const createBudgetInputSchema = z.strictObject({
  scope_type: z.enum(['organisation', 'project', 'key']),
  scope_id: z.string().regex(/^[\w.:-]{1,128}$/, { error: 'expected an organisation, project or key id' }),
  /** Needed for project and key budgets; an organisation budget's organisation is its scope_id. */
  organisation_id: organisationIdSchema.optional(),
  period: z.enum(['day', 'month']),
  currency: currencySchema,
  /** Past this, requests are refused with 402; 0 refuses everything; null: no hard limit. */
  hard_limit: limitSchema.default(null),
  /** Past this, a notice is sent once per period; null: none. */
  soft_limit: limitSchema.default(null),
});
export type CreateBudgetInput = z.input<typeof createBudgetInputSchema>;

export const updateBudgetInputSchema = z.strictObject({ hard_limit: limitSchema.optional(), soft_limit: limitSchema.optional(), currency: currencySchema.optional() });
export type UpdateBudgetInput = z.input<typeof updateBudgetInputSchema>;

export const budgetFilterSchema = z.strictObject({
  organisation_id: organisationIdSchema.optional(),
  scope_type: z.enum(['organisation', 'project', 'key']).optional(),
  scope_id: z.string().min(1).max(128).optional(),
});
export type BudgetFilter = z.input<typeof budgetFilterSchema>;

export const budgetRecordSchema = z.object({
  object: z.literal('budget'),
  id: z.string(),
  organisation_id: z.string(),
  scope_type: z.enum(['organisation', 'project', 'key']),
  scope_id: z.string(),
  period: z.enum(['day', 'month']),
  currency: currencySchema,
  hard_limit: z.number().int().nullable(),
  soft_limit: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type BudgetRecord = z.infer<typeof budgetRecordSchema>;

type BudgetRow = DatabaseSchema['budgets'];

function toRecord(row: BudgetRow): BudgetRecord {
  return budgetRecordSchema.parse({
    object: 'budget',
    ...row,
    hard_limit: row.hard_limit === null ? null : Number(row.hard_limit),
    soft_limit: row.soft_limit === null ? null : Number(row.soft_limit),
  });
}

export class BudgetService {
  private readonly clock: Clock;

  constructor(
    private readonly database: Database,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  async create(input: CreateBudgetInput): Promise<BudgetRecord> {
    const parsed = parseInput(createBudgetInputSchema, input);
    const organisationId = parsed.scope_type === 'organisation' ? parsed.scope_id : parsed.organisation_id;
    if (organisationId === undefined) throw invalidRequest(`A ${parsed.scope_type} budget needs organisation_id.`, 'organisation_id');
    if (parsed.scope_type === 'organisation' && parsed.organisation_id !== undefined && parsed.organisation_id !== parsed.scope_id) {
      throw invalidRequest('An organisation budget belongs to the organisation it limits: organisation_id must equal scope_id.', 'organisation_id');
    }
    const now = this.clock.now().toISOString();
    const row = { id: newId('bud'), organisation_id: organisationId, scope_type: parsed.scope_type, scope_id: parsed.scope_id, period: parsed.period, currency: parsed.currency, hard_limit: parsed.hard_limit, soft_limit: parsed.soft_limit, created_at: now, updated_at: now };
    const inserted = await this.database.kysely.insertInto('budgets').values(row).onConflict((builder) => builder.doNothing()).executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 0n) {
      throw conflict(`The ${parsed.scope_type} ${parsed.scope_id} already has a ${parsed.period} budget; change it with PATCH instead.`, 'budget_exists');
    }
    return toRecord(row);
  }

  async list(filter: BudgetFilter = {}): Promise<BudgetRecord[]> {
    const parsed = parseInput(budgetFilterSchema, filter);
    let query = this.database.kysely.selectFrom('budgets').selectAll();
    if (parsed.organisation_id !== undefined) query = query.where('organisation_id', '=', parsed.organisation_id);
    if (parsed.scope_type !== undefined) query = query.where('scope_type', '=', parsed.scope_type);
    if (parsed.scope_id !== undefined) query = query.where('scope_id', '=', parsed.scope_id);
    return (await query.orderBy('created_at').orderBy('id').execute()).map(toRecord);
  }

  async get(id: string): Promise<BudgetRecord> {
    const row = await this.database.kysely.selectFrom('budgets').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound(`No budget with id ${JSON.stringify(id)}.`, 'budget_not_found', 'id');
    return toRecord(row);
  }

  async update(id: string, input: UpdateBudgetInput): Promise<BudgetRecord> {
    const parsed = parseInput(updateBudgetInputSchema, input);
    await this.get(id);
    const changes = Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
    await this.database.kysely.updateTable('budgets').set({ ...changes, updated_at: this.clock.now().toISOString() }).where('id', '=', id).execute();
    return this.get(id);
  }

  async delete(id: string): Promise<BudgetRecord> {
    const budget = await this.get(id);
    await this.database.kysely.transaction().execute(async (transaction) => {
      await transaction.deleteFrom('budget_spend').where('budget_id', '=', id).execute();
      await transaction.deleteFrom('budgets').where('id', '=', id).execute();
    });
    return budget;
  }
}
