// Billing: metering, budgets and reservations, the usage ledger, money accounts, credits, statements.
export {
  accountKindSchema,
  accountModeSchema,
  transactionKindSchema,
  ensureAccount,
  findAccount,
  findCustomerAccount,
  postTransaction,
  postTransactions,
  assertBalanced,
  type AccountKind,
  type AccountMode,
  type TransactionKind,
  type BillingAccount,
  type BillingExecutor,
  type EnsureAccountInput,
  type PostingLine,
  type PostTransactionInput,
} from './billing-postings.js';
export { CreditService, creditOrganisation, topUpInputSchema, accountSettingsSchema, accountBalanceSchema, creditResultSchema, type TopUpInput, type AccountSettings, type AccountBalance, type CreditResult } from './credit-service.js';
export { transactionEntrySchema, type TransactionEntry, type TransactionPage } from './credit-history.js';
export { positiveMicroAmountSchema, organisationIdSchema, convertAmount } from './credit-exchange.js';
export { RedemptionService, createCodesInputSchema, redeemInputSchema, type CreateCodesInput, type RedeemInput, type CreatedCodeBatch } from './redemption-service.js';
export { creditRevenueShare, creatorShareOf, revenueShareInputSchema, type RevenueShareInput, type RevenueShareResult } from './revenue-share.js';
// Metering: reservations before routing, one ledger entry per request, budgets, plans, prices.
export { BillingService, type Admission, type Reservation, type RevenueShareTerms, type SettledUsage, type BillingServiceOptions } from './billing-service.js';
export { pricingPlanSchema, defaultPricingPlan, type PricingPlan, type PricingPlanInput } from './billing-plan-schema.js';
export { registerBillingMetrics, type BillingMetrics } from './billing-metrics.js';
export { requestCost, exchangeFraction, type PriceTerms, type TokenUsage } from './billing-cost.js';
export { UsageReportService, usageGroupSchema, usageQuerySchema, usageRowSchema, parseUsageGroups, type UsageGroup, type UsageQuery, type UsageRow, type UsageReport } from './usage-report-service.js';
export { renderCsv, type CsvValue } from './usage-report-csv.js';
export { StatementService, type Statement, type StatementCredit, type StatementUsageLine } from './statement-service.js';
export { BudgetService, createBudgetInputSchema, updateBudgetInputSchema, budgetFilterSchema, budgetRecordSchema, type BudgetRecord, type CreateBudgetInput, type UpdateBudgetInput, type BudgetFilter } from './credit-budget-service.js';
export { createBillingAdministration, organisationExistsVia, type BillingAdministration, type BillingAdministrationOptions, type PricingPlanStore } from './credit-administration.js';
