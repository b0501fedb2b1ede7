// The money services the admin API and the CLI need, made together from one database and config.
import type { Config } from '../config/index.js';
import { ModelmartError, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import type { PricingPlan, PricingPlanInput } from './billing-plan-schema.js';
import { BudgetService } from './credit-budget-service.js';
import { CreditService } from './credit-service.js';
import { RedemptionService } from './redemption-service.js';
import { StatementService } from './statement-service.js';
import { UsageReportService } from './usage-report-service.js';

/** What metering offers the admin API: the plan store, and a way to drop what it caches. */
export interface PricingPlanStore {
  getPlan(organisationId: string): Promise<PricingPlan>;
  setPlan(organisationId: string, plan: PricingPlanInput): Promise<PricingPlan>;
  organisationChanged(organisationId: string): void;
}

export interface BillingAdministration {
  readonly credits: CreditService;
  readonly redemptions: RedemptionService;
  readonly budgets: BudgetService;
  readonly usageReports: UsageReportService;
  readonly statements: StatementService;
  /** The pricing-plan routes exist only with it; account and budget changes also tell it. */
  readonly plans?: PricingPlanStore;
  /** Whether an organisation exists; without it, well-formed ids are accepted as they are. */
  readonly organisationExists?: (organisationId: string) => Promise<boolean>;
}

export interface BillingAdministrationOptions {
  readonly database: Database;
  readonly config: Config['billing'];
  /** HMAC-SHA-256 under the installation secret (ApiKeyService.hashWithInstallationSecret). */
  readonly hashCode: (code: string) => string;
  readonly plans?: PricingPlanStore;
  readonly organisationExists?: (organisationId: string) => Promise<boolean>;
  readonly clock?: Clock;
}

export function createBillingAdministration(options: BillingAdministrationOptions): BillingAdministration {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  return {
    credits: new CreditService({ database: options.database, config: options.config, ...clock }),
    redemptions: new RedemptionService({ database: options.database, config: options.config, hashCode: options.hashCode, ...clock }),
    budgets: new BudgetService(options.database, options.clock),
    usageReports: new UsageReportService(options.database),
    statements: new StatementService(options.database, options.config),
    ...(options.plans === undefined ? {} : { plans: options.plans }),
    ...(options.organisationExists === undefined ? {} : { organisationExists: options.organisationExists }),
  };
}

/** Turns a lookup that throws 404 for an unknown organisation into an existence check. */
export function organisationExistsVia(lookup: (organisationId: string) => Promise<unknown>): (organisationId: string) => Promise<boolean> {
  return (organisationId) =>
    lookup(organisationId).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ModelmartError && error.status === 404) return false;
        throw error;
      },
    );
}
