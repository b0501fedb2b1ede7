// Billing's tables, as Kysely sees them: accounts with double-entry postings, redemption codes,
// budgets with their per-period spend, reservations, pricing plans and the usage ledger.
// Money is integer micro-units (1 USD = 1,000,000) of the row's currency; timestamps ISO-8601 UTC.

/** An account money moves between. Customer and earnings accounts belong to an organisation; the platform's have none. */
export interface BillingAccountsTable {
  id: string;
  organisation_id: string | null;
  /** customer: what an organisation spends from; earnings: GPT creators' revenue share; platform_revenue / platform_funding: the installation's side of every entry. */
  kind: string;
  currency: string;
  /** prepaid: spend up to the balance; postpaid: up to the balance plus credit_limit. */
  mode: string;
  credit_limit: number;
  /** The sum of this account's postings, kept in the same transaction as each posting. */
  balance: number;
  created_at: string;
  updated_at: string;
}

/** One money movement; its postings sum to zero per currency. */
export interface BillingTransactionsTable {
  id: string;
  /** top_up | redemption | usage | revenue_share | adjustment */
  kind: string;
  organisation_id: string | null;
  /** For usage: the request it charges (unique, so a request is charged once). */
  request_id: string | null;
  memo: string | null;
  /** Key or user id that caused it; null for the gateway itself. */
  created_by: string | null;
  created_at: string;
}

export interface BillingPostingsTable {
  id: string;
  transaction_id: string;
  account_id: string;
  /** Signed: credit positive, debit negative. */
  amount: number;
  currency: string;
  created_at: string;
}

export interface RedemptionCodesTable {
  /** HMAC-SHA-256 of the code, hex; the code itself is shown once at creation. */
  code_hash: string;
  display_hint: string;
  batch_id: string;
  amount: number;
  currency: string;
  expires_at: string | null;
  redeemed_at: string | null;
  redeemed_by_organisation_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface BudgetsTable {
  id: string;
  organisation_id: string;
  /** organisation | project | key */
  scope_type: string;
  scope_id: string;
  /** day | month (UTC) */
  period: string;
  currency: string;
  /** Refuse with 402 insufficient_quota past this; null: no hard limit. */
  hard_limit: number | null;
  /** Fire the webhook once per period past this; null: none. */
  soft_limit: number | null;
  created_at: string;
  updated_at: string;
}

/** A budget's spend in one period (YYYY-MM-DD or YYYY-MM). */
export interface BudgetSpendTable {
  budget_id: string;
  period_start: string;
  spent: number;
  soft_limit_notified_at: string | null;
}

/** Worst-case cost held before a request is routed; deleted when it settles or is released. */
export interface ReservationsTable {
  request_id: string;
  organisation_id: string;
  project_id: string;
  key_id: string;
  /** The public model asked for, so a recovered reservation's ledger row names it. */
  model: string;
  amount: number;
  currency: string;
  /** JSON array of the counters the amount is held against, as {key, amount}: budget periods (key `budget:<id>:<period>`), the account, plan counters. */
  budget_ids: string;
  /** The server process that made it, so a restart recovers only what was left behind. */
  server_id: string;
  created_at: string;
}

/** How an organisation pays: JSON plan (pay-as-you-go markup, volume tiers, subscription, free tier). */
export interface PricingPlansTable {
  organisation_id: string;
  plan: string;
  updated_at: string;
}

/** Counters a plan needs per period: included tokens used, requests made today. */
export interface PlanUsageTable {
  organisation_id: string;
  period_start: string;
  tokens: number;
  requests: number;
}

/** One entry per request, append-only, idempotent on request_id. */
export interface UsageLedgerTable {
  request_id: string;
  organisation_id: string;
  project_id: string;
  key_id: string;
  user_id: string | null;
  /** The public model name the client asked for. */
  model: string;
  provider: string;
  upstream_model: string;
  gpt_id: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  /** 1 when counted here because the upstream reported no usage. */
  estimated: number;
  /** The catalogue card whose price applied, and that price version's effective date. */
  price_model_id: string | null;
  price_effective_from: string | null;
  cost: number;
  currency: string;
  latency_ms: number;
  time_to_first_token_ms: number | null;
  /** ok | error | cancelled | interrupted (left by a crashed server) */
  status: string;
  error_code: string | null;
  /** The billing transaction that charged it; null when it cost nothing. */
  transaction_id: string | null;
  created_at: string;
  /** YYYY-MM-DD (UTC) of created_at, for grouping by day. */
  day: string;
}

export interface BillingTables {
  billing_accounts: BillingAccountsTable;
  billing_transactions: BillingTransactionsTable;
  billing_postings: BillingPostingsTable;
  redemption_codes: RedemptionCodesTable;
  budgets: BudgetsTable;
  budget_spend: BudgetSpendTable;
  reservations: ReservationsTable;
  pricing_plans: PricingPlansTable;
  plan_usage: PlanUsageTable;
  usage_ledger: UsageLedgerTable;
}
