// Billing: accounts with double-entry postings, redemption codes, budgets and their spend,
// reservations, pricing plans and the usage ledger. Money is bigint micro-units.
import type { Kysely, Migration } from 'kysely';

export const billingMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('billing_accounts')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text')
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('mode', 'text', (column) => column.notNull())
      .addColumn('credit_limit', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('balance', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('billing_accounts_owner', ['organisation_id', 'kind', 'currency'])
      .execute();
    await schema
      .createTable('billing_transactions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text')
      .addColumn('request_id', 'text', (column) => column.unique())
      .addColumn('memo', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('billing_transactions_organisation').on('billing_transactions').columns(['organisation_id', 'created_at']).execute();
    await schema
      .createTable('billing_postings')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('transaction_id', 'text', (column) => column.notNull().references('billing_transactions.id'))
      .addColumn('account_id', 'text', (column) => column.notNull().references('billing_accounts.id'))
      .addColumn('amount', 'bigint', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('billing_postings_account').on('billing_postings').columns(['account_id', 'created_at']).execute();
    await schema.createIndex('billing_postings_transaction').on('billing_postings').column('transaction_id').execute();
    await schema
      .createTable('redemption_codes')
      .addColumn('code_hash', 'text', (column) => column.primaryKey())
      .addColumn('display_hint', 'text', (column) => column.notNull())
      .addColumn('batch_id', 'text', (column) => column.notNull())
      .addColumn('amount', 'bigint', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('redeemed_at', 'text')
      .addColumn('redeemed_by_organisation_id', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('redemption_codes_batch').on('redemption_codes').column('batch_id').execute();
    await schema
      .createTable('budgets')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('scope_type', 'text', (column) => column.notNull())
      .addColumn('scope_id', 'text', (column) => column.notNull())
      .addColumn('period', 'text', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('hard_limit', 'bigint')
      .addColumn('soft_limit', 'bigint')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('budgets_scope_period', ['scope_type', 'scope_id', 'period'])
      .execute();
    await schema
      .createTable('budget_spend')
      .addColumn('budget_id', 'text', (column) => column.notNull().references('budgets.id').onDelete('cascade'))
      .addColumn('period_start', 'text', (column) => column.notNull())
      .addColumn('spent', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('soft_limit_notified_at', 'text')
      .addPrimaryKeyConstraint('budget_spend_primary_key', ['budget_id', 'period_start'])
      .execute();
    await schema
      .createTable('reservations')
      .addColumn('request_id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('amount', 'bigint', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('budget_ids', 'text', (column) => column.notNull())
      .addColumn('server_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('reservations_server').on('reservations').columns(['server_id', 'created_at']).execute();
    await schema
      .createTable('pricing_plans')
      .addColumn('organisation_id', 'text', (column) => column.primaryKey())
      .addColumn('plan', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await schema
      .createTable('plan_usage')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('period_start', 'text', (column) => column.notNull())
      .addColumn('tokens', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('requests', 'bigint', (column) => column.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('plan_usage_primary_key', ['organisation_id', 'period_start'])
      .execute();
    await schema
      .createTable('usage_ledger')
      .addColumn('request_id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('user_id', 'text')
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('provider', 'text', (column) => column.notNull())
      .addColumn('upstream_model', 'text', (column) => column.notNull())
      .addColumn('gpt_id', 'text')
      .addColumn('prompt_tokens', 'bigint', (column) => column.notNull())
      .addColumn('completion_tokens', 'bigint', (column) => column.notNull())
      .addColumn('cached_tokens', 'bigint', (column) => column.notNull())
      .addColumn('reasoning_tokens', 'bigint', (column) => column.notNull())
      .addColumn('estimated', 'integer', (column) => column.notNull())
      .addColumn('price_model_id', 'text')
      .addColumn('price_effective_from', 'text')
      .addColumn('cost', 'bigint', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('latency_ms', 'double precision', (column) => column.notNull())
      .addColumn('time_to_first_token_ms', 'double precision')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('error_code', 'text')
      .addColumn('transaction_id', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('day', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('usage_ledger_organisation_day').on('usage_ledger').columns(['organisation_id', 'day']).execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    for (const table of ['usage_ledger', 'plan_usage', 'pricing_plans', 'reservations', 'budget_spend', 'budgets', 'redemption_codes', 'billing_postings', 'billing_transactions', 'billing_accounts']) {
      await database.schema.dropTable(table).execute();
    }
  },
};
