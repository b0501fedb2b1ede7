// The "limits" step of every model call, between validation and routing: the key's model scope,
// rate limits (key, project, organisation, model), then the budget reservation; and, when the
// request's one usage event arrives, the settlement and the rate limiter's token correction.
// A request refused here costs nothing and holds nothing.
import { defaultOrganisationId, defaultProjectId, keyAllowsModel, systemPrincipal, type Principal } from '../../accounts/index.js';
import type { BillingService, Reservation, RevenueShareTerms } from '../../billing/index.js';
import { rateLimitExceeded, type LimitCheck, type RateLimit, type RateLimiter } from '../../billing/rate-limits/index.js';
import type { Config } from '../../config/index.js';
import { modelNotAllowed, type Logger } from '../../core/index.js';
import type { EvaluationMetering } from '../../evals/index.js';
import type { AdmitKnowledgeEmbeddings } from '../../gpts/index.js';
import type { RoutePlan, UsageEvent, UsageListener } from '../../routing/index.js';

/** Where the rate-limit headers go: the HTTP reply, or nowhere (evaluation runs). */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** What a model call asks of its caller's limits before it is routed. */
export interface MeteringRequest {
  readonly requestId: string;
  readonly principal: Principal;
  readonly plan: RoutePlan;
  /**
   * At least the prompt's tokens (an upper bound such as its UTF-8 bytes is fine): it sizes the
   * held worst case and the rate-limit estimate, both corrected by the real usage at the end.
   */
  readonly promptTokenBound: () => number;
  /** The completion the client allowed (max_tokens); undefined: the deployment's or a default maximum. */
  readonly maxOutputTokens: number | undefined;
  readonly gptId?: string | null;
  /** A step of a GPT run by another organisation: the creator's share is credited at settlement. */
  readonly revenueShare?: RevenueShareTerms | null;
}

/** An admitted call: pass `onUsage` to the router; call `abandon` if it throws. */
export interface MeteredCall {
  readonly onUsage: UsageListener;
  /** Drops the hold and gives the tokens back when no usage event came (refused before any upstream call). */
  abandon(): void;
}

// A request that names no maximum is held at its deployment's maximum output; without one, this.
const defaultMaximumOutputTokens = 4_096;

interface LimitSetting {
  readonly requestsPerMinute?: number | undefined;
  readonly tokensPerMinute?: number | undefined;
}

/** A principal's checks for one model, and whether any counts tokens (then the estimate is corrected at the end). */
interface PrincipalChecks {
  readonly checks: readonly LimitCheck[];
  readonly countsTokens: boolean;
}

/** The setting as a rate limit, or undefined when it limits nothing. */
function asLimit(setting: LimitSetting | undefined): RateLimit | undefined {
  if (setting === undefined) return undefined;
  const { requestsPerMinute, tokensPerMinute } = setting;
  if (requestsPerMinute === undefined && tokensPerMinute === undefined) return undefined;
  return { ...(requestsPerMinute === undefined ? {} : { requestsPerMinute }), ...(tokensPerMinute === undefined ? {} : { tokensPerMinute }) };
}

export class GatewayMetering {
  constructor(
    private readonly dependencies: {
      readonly billing: BillingService;
      readonly limiter: RateLimiter;
      readonly limits: Config['limits'];
      readonly logger?: Pick<Logger, 'error'>;
    },
  ) {}

  // The checks of a principal for a model are the same on every request: principals are cached by
  // the key service (a new object after any change), so they key this cache and age out with it.
  private readonly checkCache = new WeakMap<Principal, Map<string, PrincipalChecks>>();
  // Route plans are frozen and cached by the router, so the names a plan is priced by are too.
  private readonly pricedModelCache = new WeakMap<RoutePlan, readonly string[]>();

  private checksFor(principal: Principal, plan: RoutePlan): PrincipalChecks {
    let byModel = this.checkCache.get(principal);
    if (byModel === undefined) {
      byModel = new Map();
      this.checkCache.set(principal, byModel);
    }
    let entry = byModel.get(plan.publicName);
    if (entry === undefined) {
      const checks = this.buildChecks(principal, plan);
      entry = { checks, countsTokens: checks.some((check) => check.limit.tokensPerMinute !== undefined) };
      if (byModel.size > 1_000) byModel.clear();
      byModel.set(plan.publicName, entry);
    }
    return entry;
  }

  private pricedModels(plan: RoutePlan): readonly string[] {
    let names = this.pricedModelCache.get(plan);
    if (names === undefined) {
      names = [...plan.targets.map((target) => target.publicModelId), plan.publicName];
      this.pricedModelCache.set(plan, names);
    }
    return names;
  }

  private buildChecks(principal: Principal, plan: RoutePlan): LimitCheck[] {
    const { limits } = this.dependencies;
    const checks: LimitCheck[] = [];
    const add = (scope: string, own: LimitSetting | undefined, fallback: LimitSetting | undefined): void => {
      const limit = asLimit(own) ?? asLimit(fallback);
      if (limit !== undefined) checks.push({ scope, limit });
    };
    add(`key:${principal.keyId}`, principal.limits.key, limits.key);
    add(`project:${principal.projectId}`, principal.limits.project, limits.project);
    add(`organisation:${principal.organisationId}`, principal.limits.organisation, limits.organisation);
    add(`model:${plan.publicName}`, limits.models[plan.publicName], undefined);
    return checks;
  }

  private maximumOutput(plan: RoutePlan, requested: number | undefined): number {
    if (requested !== undefined && requested > 0) return requested;
    let largest = 0;
    for (const target of plan.targets) if (target.maxOutputTokens !== undefined && target.maxOutputTokens > largest) largest = target.maxOutputTokens;
    return largest > 0 ? largest : defaultMaximumOutputTokens;
  }

  /** Refuses with 403 model_not_allowed, 429 rate_limit_exceeded or 402 insufficient_quota; sets the rate-limit headers. */
  async admit(request: MeteringRequest, reply?: HeaderSink): Promise<MeteredCall> {
    const { principal, plan } = request;
    if (!keyAllowsModel(principal, plan.publicName)) throw modelNotAllowed(plan.publicName);

    const { checks, countsTokens } = this.checksFor(principal, plan);
    const maxOutputTokens = this.maximumOutput(plan, request.maxOutputTokens);
    // A bound, not a count: the tokenizer costs more than the rest of metering, and the worst case only needs to hold.
    const promptTokens = request.promptTokenBound();
    const tokenEstimate = countsTokens ? promptTokens + maxOutputTokens : 0;
    if (checks.length > 0) {
      const { limiter } = this.dependencies;
      const decision = limiter.admitNow?.(checks, tokenEstimate) ?? (await limiter.admit(checks, tokenEstimate));
      if (reply !== undefined) {
        const { headers } = decision;
        // A plain record of strings: for…in reads it without building an array of entries per request.
        for (const name in headers) reply.header(name, headers[name] as string);
      }
      if (!decision.allowed) throw rateLimitExceeded(decision);
    }

    let reservation: Reservation;
    try {
      const admission = {
        requestId: request.requestId,
        organisationId: principal.organisationId,
        projectId: principal.projectId,
        keyId: principal.keyId,
        userId: principal.userId,
        publicModel: plan.publicName,
        pricedModels: this.pricedModels(plan),
        promptTokens,
        maxOutputTokens,
        gptId: request.gptId ?? null,
        revenueShare: request.revenueShare ?? null,
      };
      // Without a wait when the organisation's terms, prices and counters are at hand (the usual request).
      const { billing } = this.dependencies;
      reservation = billing.reserveNow(admission) ?? (await billing.reserve(admission));
    } catch (error) {
      if (countsTokens) this.adjust(checks, -tokenEstimate);
      throw error;
    }

    let finished = false;
    return {
      onUsage: (event: UsageEvent) => {
        if (finished) return undefined;
        finished = true;
        if (countsTokens) this.adjust(checks, event.promptTokens + event.completionTokens - tokenEstimate);
        return this.dependencies.billing.settle(reservation, event);
      },
      abandon: () => {
        if (finished) return;
        finished = true;
        if (countsTokens) this.adjust(checks, -tokenEstimate);
        this.dependencies.billing.release(reservation).catch((error: unknown) => this.dependencies.logger?.error({ err: error, requestId: request.requestId }, 'releasing a reservation failed'));
      },
    };
  }

  private adjust(checks: readonly LimitCheck[], tokenDelta: number): void {
    if (tokenDelta === 0) return;
    this.dependencies.limiter.adjustTokens(checks, tokenDelta).catch((error: unknown) => this.dependencies.logger?.error({ err: error }, 'adjusting rate-limit tokens failed'));
  }
}

/** For servers built without billing (some tests): nothing is checked or recorded. */
export const unmeteredCall: MeteredCall = { onUsage: () => undefined, abandon: () => undefined };

/** Admits a call through the metering when the server has one. */
export async function admitCall(metering: GatewayMetering | undefined, request: MeteringRequest, reply: HeaderSink): Promise<MeteredCall> {
  if (metering === undefined) {
    if (!keyAllowsModel(request.principal, request.plan.publicName)) throw modelNotAllowed(request.plan.publicName);
    return unmeteredCall;
  }
  return metering.admit(request, reply);
}

/** Runs `work` with an admitted call, dropping its hold if `work` fails before any usage event. */
export async function withMeteredCall<Result>(call: MeteredCall, work: () => Promise<Result>): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    call.abandon();
    throw error;
  }
}

/**
 * Who evaluation runs are metered as: the installation's default organisation and project, under
 * the key id "evaluations" (so their spend is visible in usage reports), with no scopes of its own.
 */
export const evaluationPrincipal: Principal = systemPrincipal({
  keyId: 'evaluations',
  keyName: 'evaluation runs',
  role: 'admin',
  organisationId: defaultOrganisationId,
  projectId: defaultProjectId,
  organisationRole: 'owner',
});

/** GPT knowledge embeddings (indexing, and a run's query) through the same limits, holds and ledger as API calls. */
export function knowledgeEmbeddingsMetering(metering: GatewayMetering): AdmitKnowledgeEmbeddings {
  return async (admission) => metering.admit({ ...admission, maxOutputTokens: 0 });
}

/** Evaluation calls through the same limits, holds and ledger as API calls. */
export function evaluationMetering(metering: GatewayMetering, principal: Principal = evaluationPrincipal): EvaluationMetering {
  return {
    admit: async (call) => metering.admit({ requestId: call.requestId, principal, plan: call.plan, promptTokenBound: () => call.promptTokenBound, maxOutputTokens: call.maxOutputTokens }),
  };
}
