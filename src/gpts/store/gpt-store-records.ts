// The GPT store's shapes at the boundary: the listing query, ratings, reports, builder profiles
// and domains (zod, strict), and the records the store answers with.
import { z } from 'zod';

export const storeSortSchema = z.enum(['trending', 'top_rated', 'new', 'featured']);
export type StoreSort = z.infer<typeof storeSortSchema>;

export const listingQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(storeSortSchema.options, { error: "'sort' must be one of trending, top_rated, new, featured" }).default('trending'),
  limit: z.coerce.number({ error: "'limit' must be a whole number from 1 to 100" }).int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
export type ListingQuery = z.input<typeof listingQuerySchema>;

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number({ error: "'limit' must be a whole number from 1 to 100" }).int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
export type PageQuery = z.input<typeof pageQuerySchema>;

export const ratingInputSchema = z.strictObject({
  stars: z.number().int().min(1).max(5),
  review: z.string().trim().max(2_000).nullish(),
});
export type RatingInput = z.input<typeof ratingInputSchema>;

export const reportReasonSchema = z.enum(['spam', 'harmful', 'illegal', 'impersonation', 'intellectual_property', 'privacy', 'other']);
export type ReportReason = z.infer<typeof reportReasonSchema>;

export const reportInputSchema = z.strictObject({
  reason: reportReasonSchema,
  details: z.string().trim().max(2_000).nullish(),
});
export type ReportInput = z.input<typeof reportInputSchema>;

export const reportStatusSchema = z.enum(['open', 'resolved']);
export type ReportStatus = z.infer<typeof reportStatusSchema>;

export const reportListQuerySchema = z.strictObject({
  status: reportStatusSchema.optional(),
  limit: z.coerce.number({ error: "'limit' must be a whole number from 1 to 100" }).int().min(1).max(100).default(50),
  cursor: z.string().min(1).optional(),
});
export type ReportListQuery = z.input<typeof reportListQuerySchema>;

export const moderationReasonSchema = z.strictObject({ reason: z.string().trim().min(1).max(2_000) });
export const reportResolutionSchema = z.strictObject({ resolution: z.string().trim().min(1).max(2_000) });

const websiteSchema = z.url({ protocol: /^https?$/, error: 'expected an http or https URL' }).max(500);

export const builderProfileInputSchema = z.strictObject({
  display_name: z.string().trim().min(1).max(100).optional(),
  bio: z.string().trim().max(2_000).nullish(),
  website: websiteSchema.nullish(),
});
export type BuilderProfileInput = z.input<typeof builderProfileInputSchema>;

/** A host name: labels of letters, digits and hyphens, at least one dot, no IP literal. */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?!\d+(\.\d+){3}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'expected a domain name such as example.com');

export const domainInputSchema = z.strictObject({ domain: domainSchema });
export const domainVerificationMethodSchema = z.enum(['well-known', 'dns']);
export type DomainVerificationMethod = z.infer<typeof domainVerificationMethodSchema>;
export const domainVerifyInputSchema = z.strictObject({ method: domainVerificationMethodSchema.optional() });

export interface RatingSummary {
  /** Mean stars, two decimals; null without ratings. */
  readonly average: number | null;
  readonly count: number;
  /** Ratings per star, "1" to "5". */
  readonly histogram: Readonly<Record<'1' | '2' | '3' | '4' | '5', number>>;
}

export interface StoreBuilder {
  readonly organisation_id: string;
  readonly name: string;
  readonly verified: boolean;
}

export interface StoreGptItem {
  readonly object: 'store.gpt';
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly avatar_url: string | null;
  readonly category: string | null;
  readonly base_model: string;
  readonly visibility: string;
  readonly latest_version: number | null;
  readonly published_at: string | null;
  readonly rating: { readonly average: number | null; readonly count: number };
  readonly calls_last_7_days: number;
  readonly featured: boolean;
  readonly builder: StoreBuilder;
}

export interface StorePage<Item> {
  readonly object: 'list';
  readonly data: readonly Item[];
  readonly has_more: boolean;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null;
}

export interface StoreReview {
  readonly object: 'store.gpt.review';
  readonly stars: number;
  readonly review: string | null;
  /** The reviewer's name where the rater is a named user of the reader's organisation; null otherwise. */
  readonly author_name: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface GptReportRecord {
  readonly object: 'store.gpt.report';
  readonly id: string;
  readonly gpt_id: string;
  readonly gpt_slug: string | null;
  readonly reporter_id: string;
  readonly reporter_organisation_id: string;
  readonly reason: string;
  readonly details: string | null;
  readonly status: ReportStatus;
  readonly resolution: string | null;
  readonly created_at: string;
  readonly resolved_at: string | null;
  readonly resolved_by: string | null;
}

export interface BuilderDomainRecord {
  readonly object: 'store.builder.domain';
  readonly domain: string;
  readonly verified: boolean;
  readonly method: DomainVerificationMethod | null;
  readonly verified_at: string | null;
  readonly created_at: string;
}

export interface BuilderProfileRecord {
  readonly object: 'store.builder';
  readonly organisation_id: string;
  readonly display_name: string;
  readonly bio: string | null;
  readonly website: string | null;
  readonly verified: boolean;
  readonly verified_domains: readonly string[];
  readonly updated_at: string | null;
}
