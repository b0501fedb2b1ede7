// The model card: one zod schema for what an administrator sends and what the store shows.
// Computed facts (MOF class, open weights, resolved licence terms) are added when a card is
// presented and are never accepted as input, so they cannot contradict the components.
import { z } from 'zod';
import { licenseIdSchema, licenseTermsSchema, lookupLicense } from './license-registry.js';
import { opennessSchema } from './model-openness.js';

export const modalitySchema = z.enum(['text', 'image', 'audio', 'video', 'file', 'embedding']);
export const currencySchema = z.enum(['USD', 'CNY']);
export const industrySchema = z.enum([
  'finance',
  'energy',
  'manufacturing',
  'healthcare',
  'education',
  'government',
  'legal',
  'retail',
  'software',
  'telecommunications',
  'media',
  'transport',
  'research',
]);
export const deploymentKindSchema = z.enum(['public-cloud-api', 'private', 'edge']);

const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be lowercase letters, digits, ".", "_" or "-"');
const calendarDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').refine((text) => !Number.isNaN(Date.parse(text)), 'is not a real date');
/** A date or date-time; stored as a full ISO-8601 UTC timestamp so versions sort as text. */
export const instantSchema = z
  .string()
  .refine((text) => /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)), 'must be an ISO-8601 date or date-time')
  .transform((text) => new Date(text).toISOString());
const microUnitsSchema = z.number().int('must be an integer number of micro-units').nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER);

/** One price version; all amounts are integer micro-units (1 USD = 1,000,000) per million tokens. */
export const priceVersionSchema = z
  .object({
    effective_from: instantSchema,
    currency: currencySchema,
    input_per_million_tokens: microUnitsSchema,
    output_per_million_tokens: microUnitsSchema,
    cached_input_per_million_tokens: microUnitsSchema.nullable().default(null),
    per_request: microUnitsSchema.default(0),
    free_tier: z.string().max(500).nullable().default(null),
    source: z.string().url().nullable().default(null),
  })
  .strict();
export type PriceVersion = z.infer<typeof priceVersionSchema>;

export const benchmarkSettingSchema = z
  .object({
    shots: z.number().int().nonnegative().optional(),
    chain_of_thought: z.boolean().optional(),
    pass_at: z.number().int().positive().optional(),
    note: z.string().max(200).optional(),
  })
  .strict();

export const benchmarkSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('published'), citation_url: z.string().url(), published_at: calendarDateSchema }).strict(),
  z.object({ kind: z.literal('measured'), evaluation_run_id: z.string().min(1), measured_at: instantSchema.optional() }).strict(),
]);

export const benchmarkResultSchema = z
  .object({
    benchmark: slugSchema,
    score: z.number().finite(),
    setting: benchmarkSettingSchema.default({}),
    source: benchmarkSourceSchema,
  })
  .strict();
export type BenchmarkResult = z.infer<typeof benchmarkResultSchema>;

export const deploymentSchema = z
  .object({
    kind: deploymentKindSchema,
    provider: z.string().min(1).optional(),
    /** The model name at that provider, so `<provider>/<model>` on the gateway finds this card. */
    model: z.string().min(1).optional(),
    route: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  })
  .strict();

export const cardLicenseSchema = z
  .object({
    id: licenseIdSchema,
    /** Needed only for a LicenseRef-… the registry does not know. */
    terms: licenseTermsSchema.optional(),
  })
  .strict()
  .superRefine((license, context) => {
    if (lookupLicense(license.id) !== undefined || license.terms !== undefined) return;
    context.addIssue({ code: z.ZodIssueCode.custom, path: ['id'], message: `unknown license '${license.id}': use a registered id or give LicenseRef-… with terms` });
  });

const baseModelNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'must be a Hugging Face model name (owner/name) or a catalogue id');

/** The card without prices: what create and update share. */
export const modelCardBodySchema = z
  .object({
    id: slugSchema,
    name: z.string().min(1).max(200),
    vendor: z.string().min(1).max(100),
    family: z.string().min(1).max(100).optional(),
    version: z.string().min(1).max(100).optional(),
    release_date: calendarDateSchema,
    description: z.string().min(1).max(4000),
    languages: z.array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'must be a language tag such as en or zh')).default([]),
    parameters: z.object({ total: z.number().positive().optional(), active: z.number().positive().optional() }).strict().optional(),
    architecture: z.string().min(1).max(200).optional(),
    /**
     * For a derivative (fine-tune, quantisation, merge): the model or models it was made from,
     * as Hugging Face names them (`owner/name`) or as catalogue ids. One or a list, like
     * Hugging Face's `base_model`, so a card exchanged with it reads back unchanged.
     */
    base_model: z.union([baseModelNameSchema, z.array(baseModelNameSchema).min(1).max(20)]).optional(),
    capability: z
      .object({
        /** Null when the vendor never published it (some cards are historical). */
        context_window: z.number().int().positive().nullable(),
        max_output_tokens: z.number().int().positive().optional(),
        input_modalities: z.array(modalitySchema).min(1),
        output_modalities: z.array(modalitySchema).min(1),
        tools: z.boolean().default(false),
        json_schema_output: z.boolean().default(false),
        reasoning: z.boolean().default(false),
        embeddings: z.boolean().default(false),
      })
      .strict(),
    openness: opennessSchema,
    license: cardLicenseSchema,
    deployments: z.array(deploymentSchema).default([]),
    market: z.object({ industries: z.array(industrySchema).default([]), scenarios: z.array(slugSchema).default([]) }).strict().default({ industries: [], scenarios: [] }),
    benchmarks: z.array(benchmarkResultSchema).default([]),
    /** Where the card's facts come from: announcements, papers, pricing pages. */
    sources: z.array(z.string().url()).default([]),
    /** For imported cards: where each field came from, keyed by field path. */
    provenance: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type ModelCardBody = z.infer<typeof modelCardBodySchema>;
export type ModelCardBodyInput = z.input<typeof modelCardBodySchema>;

/** What an administrator sends to create a card: the body plus its first price versions. */
export const modelCardCreateSchema = modelCardBodySchema.extend({ prices: z.array(priceVersionSchema).default([]) }).strict();
export type ModelCardCreate = z.infer<typeof modelCardCreateSchema>;
export type ModelCardCreateInput = z.input<typeof modelCardCreateSchema>;

export const deprecationRequestSchema = z
  .object({
    sunset_date: calendarDateSchema,
    replacement: slugSchema.optional(),
  })
  .strict();
export type DeprecationRequest = z.infer<typeof deprecationRequestSchema>;
