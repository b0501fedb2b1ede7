// The one validated shape of Modelmart's configuration (modelmart.yaml + environment + flags).
// Objects are strict so a typo in a key is reported, not silently ignored.
import { z } from 'zod';

const sizeUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A byte size written as a number or as "10mb", "512kb". */
export const byteSizeSchema = z.union([
  z.number().int().positive(),
  z.string().transform((text, context) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
    if (match === null) {
      context.addIssue({ code: 'custom', message: `expected a size such as 10mb or 1048576, got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    const unit = (match[2] ?? 'b').toLowerCase();
    return Math.round(Number(match[1]) * (sizeUnits[unit] ?? 1));
  }),
]);

const urlSchema = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: (issue) => `expected a URL, got ${JSON.stringify(issue.input)}` },
);

const identifierSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, { error: (issue) => `expected letters, digits, ".", "_" or "-", got ${JSON.stringify(issue.input)}` });

export const providerTypeSchema = z.enum(['openai-compatible', 'anthropic', 'gemini', 'azure-openai', 'llama-cpp']);

const providerModelSchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    /** The name the upstream knows the model by, when it differs from the public name. */
    upstreamName: z.string().min(1).optional(),
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    file: z.string().min(1).optional(),
    uri: z.string().min(1).optional(),
    embedding: z.boolean().optional(),
  }),
]);

export const providerSchema = z.strictObject({
  id: identifierSchema,
  type: providerTypeSchema,
  /** A named preset for an openai-compatible vendor (base URL, auth header, quirks). */
  preset: z.string().min(1).optional(),
  baseUrl: urlSchema.optional(),
  apiKey: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  models: z.array(providerModelSchema).default([]),
  threads: z.number().int().positive().optional(),
  maxConcurrentSequences: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const routeTargetSchema = z.strictObject({
  provider: identifierSchema,
  model: z.string().min(1),
  weight: z.number().positive().optional(),
});

export const routeSchema = z.strictObject({
  model: z.string().min(1),
  strategy: z.enum(['fallback', 'weighted', 'canary', 'least-latency']).default('fallback'),
  canaryPercent: z.number().min(0).max(100).optional(),
  targets: z.array(routeTargetSchema).min(1),
});

/** Who the installation serves, checked against each model's licence terms before a request is routed. */
export const organisationProfileSchema = z.strictObject({
  use: z.enum(['commercial', 'research']),
  /** Monthly active users of the organisation's products, as a band: up to 1M, 100M, 700M, or over 700M. */
  monthlyActiveUsers: z.enum(['up-to-1m', 'up-to-100m', 'up-to-700m', 'over-700m']).default('up-to-1m'),
  annualRevenueUsd: z.number().int().nonnegative().optional(),
  region: z.string().min(1).optional(),
});

const rateLimitSchema = z.strictObject({
  requestsPerMinute: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
});
export type RateLimitConfig = z.infer<typeof rateLimitSchema>;

export const currencySchema = z.enum(['USD', 'CNY']);
export type Currency = z.infer<typeof currencySchema>;

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        bodyLimit: byteSizeSchema.default(10 * 1024 * 1024),
        shutdownTimeoutMs: z.number().int().min(0).default(30_000),
        trustProxy: z.boolean().default(false),
      })
      .prefault({}),
    storage: z
      .strictObject({
        dataDir: z.string().min(1).default('./data'),
        databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, { error: (issue) => `expected a postgres:// URL, got ${JSON.stringify(issue.input)}` }).optional(),
      })
      .prefault({}),
    redis: z.strictObject({ url: z.string().regex(/^rediss?:\/\//, { error: (issue) => `expected a redis:// URL, got ${JSON.stringify(issue.input)}` }).optional() }).prefault({}),
    auth: z
      .strictObject({
        adminKey: z.string().min(16, { error: 'expected at least 16 characters' }).optional(),
        /** A web app session unused for this many minutes ends (sliding). */
        sessionIdleMinutes: z.number().int().positive().max(7 * 24 * 60).default(120),
        /** A web app session ends this many hours after sign-in, however much it is used. */
        sessionLifetimeHours: z.number().int().positive().max(90 * 24).default(12),
      })
      .prefault({}),
    logging: z
      .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') })
      .prefault({}),
    providers: z.array(providerSchema).default([]),
    routes: z.array(routeSchema).default([]),
    /** A private store answers /store/v1 only to callers with an API key. */
    store: z.strictObject({ private: z.boolean().default(false) }).prefault({}),
    /** Without an organisation profile, licences are shown in the store but not enforced. */
    licensePolicy: z.strictObject({ organisation: organisationProfileSchema.optional() }).prefault({}),
    /** Metering and money: the ledger always records; budgets and credit refuse only where set. */
    billing: z
      .strictObject({
        /** false: a pure gateway — no rate limits, reservations, budgets or usage ledger (key scopes still apply). */
        metering: z.boolean().default(true),
        /** The currency of new organisations. */
        currency: currencySchema.default('USD'),
        /** Units of each currency per 1 USD (catalogue prices are converted with these). */
        exchangeRates: z.partialRecord(currencySchema, z.number().positive()).default({}),
        /** A reservation older than this is treated as left by a crashed request and released. */
        reservationTimeoutMs: z.number().int().positive().default(15 * 60_000),
        /** Soft budget limits POST a JSON notice here once per period. */
        softLimitWebhookUrl: z.url().optional(),
      })
      .prefault({}),
    /** Rate limits applied when a key, project or organisation sets none of its own. */
    limits: z
      .strictObject({
        key: rateLimitSchema.optional(),
        project: rateLimitSchema.optional(),
        organisation: rateLimitSchema.optional(),
        /** Per public model name, shared by every caller. */
        models: z.record(z.string().min(1), rateLimitSchema).default({}),
      })
      .prefault({}),
    security: z
      .strictObject({
        /** Base64 of 32 bytes; encrypts provider credentials at rest (AES-256-GCM). Env reference only. */
        encryptionKey: z.string().min(1).optional(),
        /** Earlier keys, still accepted for reading while credentials are re-encrypted. */
        previousEncryptionKeys: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    /** Custom GPTs: knowledge limits and retrieval, outbound calls of actions and live sources, the tool loop. */
    gpts: z
      .strictObject({
        knowledge: z
          .strictObject({
            maxFilesPerGpt: z.number().int().positive().default(20),
            maxFileBytes: byteSizeSchema.default(20 * 1024 * 1024),
            maxTotalBytesPerGpt: byteSizeSchema.default(100 * 1024 * 1024),
            chunkTokens: z.number().int().min(50).max(8_000).default(800),
            chunkOverlapTokens: z.number().int().min(0).max(2_000).default(100),
            /** A model name the gateway can embed with; without one, retrieval is BM25 only. */
            embeddingsModel: z.string().min(1).optional(),
            /** Passages put before the conversation when a GPT answers. */
            passagesPerAnswer: z.number().int().min(1).max(50).default(5),
            /** How often feeds and URLs are re-fetched when a source names no interval. */
            defaultPollIntervalSeconds: z.number().int().min(10).default(900),
          })
          .prefault({}),
        /** Every outbound call of an action, MCP server, live source or domain check. */
        outbound: z
          .strictObject({
            /** Hosts (exact or `*.example.internal`) and CIDRs that may be reached although private. */
            allowList: z.array(z.string().min(1)).default([]),
            timeoutMs: z.number().int().positive().default(15_000),
            maxResponseBytes: byteSizeSchema.default(5 * 1024 * 1024),
            maxRedirects: z.number().int().min(0).max(20).default(5),
          })
          .prefault({}),
        runner: z
          .strictObject({
            /** Model calls in one GPT answer; the loop stops there with finish reason `max_steps`. */
            maxSteps: z.number().int().min(1).max(50).default(8),
            /** The whole answer, tools included. */
            deadlineMs: z.number().int().positive().default(120_000),
          })
          .prefault({}),
        /** The creator's share of what callers pay for a GPT, in basis points (7,000 = 70 %). */
        defaultRevenueShareBasisPoints: z.number().int().min(0).max(10_000).default(7_000),
        limits: z.strictObject({ maxGptsPerOrganisation: z.number().int().positive().default(1_000) }).prefault({}),
      })
      .prefault({}),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.providers.forEach((provider, index) => {
      if (seen.has(provider.id)) {
        context.addIssue({ code: 'custom', path: ['providers', index, 'id'], message: `duplicate provider id ${JSON.stringify(provider.id)}` });
      }
      seen.add(provider.id);
    });
    config.routes.forEach((route, routeIndex) => {
      route.targets.forEach((target, targetIndex) => {
        if (!seen.has(target.provider)) {
          context.addIssue({
            code: 'custom',
            path: ['routes', routeIndex, 'targets', targetIndex, 'provider'],
            message: `no provider with id ${JSON.stringify(target.provider)} (known: ${[...seen].join(', ') || 'none'})`,
          });
        }
      });
    });
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type OrganisationProfile = z.infer<typeof organisationProfileSchema>;
