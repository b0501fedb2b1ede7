// The shapes of a GPT definition: what a creator sends to create or change a draft (snake_case,
// like the rest of the API), the records sent back, and the JSON stored in the gpts and
// gpt_versions rows, which is parsed again whenever it is read back.
import { z } from 'zod';

export const gptCategories = ['writing', 'productivity', 'research', 'programming', 'education', 'lifestyle', 'data-analysis', 'other'] as const;
export const gptCategorySchema = z.enum(gptCategories);
export type GptCategory = z.infer<typeof gptCategorySchema>;

export const gptVisibilitySchema = z.enum(['private', 'organisation', 'link', 'public']);

export const gptLimits = {
  nameCharacters: 100,
  descriptionCharacters: 2_000,
  instructionsCharacters: 32_000,
  conversationStarters: 10,
  conversationStarterCharacters: 300,
  avatarUrlCharacters: 2_000,
  baseModelCharacters: 300,
} as const;

/** 3–64 lower-case letters, digits and hyphens, not starting or ending with a hyphen; `@` never, so `slug@3` parses. */
export const gptSlugPattern = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
/** Words that are fixed paths under /store/v1/gpts/ (or may become ones): a GPT there could never be reached. */
export const reservedGptSlugs: ReadonlySet<string> = new Set(['categories', 'import', 'search', 'trending', 'featured', 'reports', 'builders']);
export const gptSlugSchema = z
  .string()
  .regex(gptSlugPattern, 'a slug is 3-64 lower-case letters, digits and hyphens, starting and ending with a letter or digit')
  .refine((slug) => !reservedGptSlugs.has(slug), { error: (issue) => `${JSON.stringify(issue.input)} is a reserved word of the store's paths; choose another slug` });

const nameSchema = z.string().trim().min(1).max(gptLimits.nameCharacters);
const descriptionSchema = z.string().max(gptLimits.descriptionCharacters);
const instructionsSchema = z.string().max(gptLimits.instructionsCharacters);
const conversationStartersSchema = z.array(z.string().trim().min(1).max(gptLimits.conversationStarterCharacters)).max(gptLimits.conversationStarters);
const avatarUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an http or https URL' }).max(gptLimits.avatarUrlCharacters);
// A GPT runs on a model or a route; one GPT on top of another would nest tool loops and charges.
const baseModelSchema = z
  .string()
  .trim()
  .min(1)
  .max(gptLimits.baseModelCharacters)
  .refine((name) => !name.startsWith('gpt:'), 'a GPT cannot be the base model of another GPT; name a catalogue model or a route');
const basisPointsSchema = z.number().int().min(0).max(10_000);

export const capabilitiesSchema = z.strictObject({ knowledge: z.boolean(), actions: z.boolean() });
const capabilitiesInputSchema = z.strictObject({ knowledge: z.boolean().optional(), actions: z.boolean().optional() });

export const createGptInputSchema = z.strictObject({
  name: nameSchema,
  slug: gptSlugSchema.optional(),
  description: descriptionSchema.default(''),
  avatar_url: avatarUrlSchema.nullable().optional(),
  category: gptCategorySchema.nullable().optional(),
  base_model: baseModelSchema,
  instructions: instructionsSchema.default(''),
  conversation_starters: conversationStartersSchema.default([]),
  // Both on unless switched off: knowledge or actions added later work without another edit.
  capabilities: capabilitiesInputSchema.optional(),
  visibility: gptVisibilitySchema.default('private'),
  /** Default: config gpts.defaultRevenueShareBasisPoints; above it only an installation admin may set. */
  revenue_share_basis_points: basisPointsSchema.optional(),
});
export type CreateGptInput = z.input<typeof createGptInputSchema>;

export const updateGptInputSchema = z.strictObject({
  name: nameSchema.optional(),
  /** Only while the GPT has never been published: callers pin published slugs. */
  slug: gptSlugSchema.optional(),
  description: descriptionSchema.optional(),
  avatar_url: avatarUrlSchema.nullable().optional(),
  category: gptCategorySchema.nullable().optional(),
  base_model: baseModelSchema.optional(),
  instructions: instructionsSchema.optional(),
  conversation_starters: conversationStartersSchema.optional(),
  capabilities: capabilitiesInputSchema.optional(),
  visibility: gptVisibilitySchema.optional(),
  revenue_share_basis_points: basisPointsSchema.optional(),
});
export type UpdateGptInput = z.input<typeof updateGptInputSchema>;

/** A GPT as its editors see it: the draft and the pointer to its latest published version. */
export interface GptRecord {
  readonly object: 'gpt';
  readonly id: string;
  readonly slug: string;
  readonly organisation_id: string;
  readonly project_id: string;
  readonly creator_key_id: string;
  readonly creator_user_id: string | null;
  readonly name: string;
  readonly description: string;
  readonly avatar_url: string | null;
  readonly category: string | null;
  readonly base_model: string;
  readonly instructions: string;
  readonly conversation_starters: readonly string[];
  readonly capabilities: { readonly knowledge: boolean; readonly actions: boolean };
  readonly visibility: z.infer<typeof gptVisibilitySchema>;
  readonly revenue_share_basis_points: number;
  /** Null until the first publishing. */
  readonly latest_version: number | null;
  /** When the latest version was published. */
  readonly published_at: string | null;
  readonly hidden_at: string | null;
  readonly hidden_reason: string | null;
  readonly featured_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** One line of a GPT's version list. */
export interface GptVersionSummary {
  readonly object: 'gpt.version';
  readonly version: number;
  readonly published_at: string;
  readonly published_by_key_id: string;
}

/** One published version, on the wire; `instructions` only for the GPT's editors. */
export interface GptVersionRecord extends GptVersionSummary {
  readonly gpt_id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly category: string | null;
  readonly base_model: string;
  readonly instructions?: string;
  readonly conversation_starters: readonly string[];
  readonly capabilities: { readonly knowledge: boolean; readonly actions: boolean };
  readonly revenue_share_basis_points: number;
}

/** The GPT page: what anyone who may see it reads, plus the draft for its editors. */
export interface GptPage {
  readonly object: 'gpt.page';
  readonly id: string;
  readonly slug: string;
  readonly visibility: z.infer<typeof gptVisibilitySchema>;
  readonly organisation_id: string;
  readonly avatar_url: string | null;
  readonly latest_version: number | null;
  readonly published_at: string | null;
  readonly featured_at: string | null;
  /** The latest published version (null before the first publishing, which only editors see). */
  readonly published: GptVersionRecord | null;
  readonly versions: readonly GptVersionSummary[];
  readonly editable: boolean;
  /** Only for editors. */
  readonly draft?: GptRecord;
}

/** The PublishedGpt (gpt-contracts.ts) as stored in gpt_versions.definition, checked when read back. */
export const storedPublishedGptSchema = z.object({
  gptId: z.string(),
  slug: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  baseModel: z.string(),
  instructions: z.string(),
  conversationStarters: z.array(z.string()),
  capabilities: capabilitiesSchema,
  visibility: gptVisibilitySchema,
  ownerOrganisationId: z.string(),
  ownerProjectId: z.string(),
  creatorUserId: z.string().nullable(),
  creatorKeyId: z.string(),
  revenueShareBasisPoints: z.number().int(),
  actionsSnapshot: z.unknown(),
  publishedAt: z.string(),
});

export const storedConversationStartersSchema = z.array(z.string());
