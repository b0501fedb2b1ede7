// Between stored rows and what callers see: a gpts row becomes a GptRecord (its JSON columns
// parsed and checked again), a draft becomes a PublishedGpt, a PublishedGpt becomes a version record.
import type { PublishedGpt } from '../gpt-contracts.js';
import { capabilitiesSchema, gptVisibilitySchema, storedConversationStartersSchema, type GptRecord, type GptVersionRecord } from './gpt-definition-schemas.js';
import type { GptRow } from './gpt-repository.js';

export function toGptRecord(row: GptRow): GptRecord {
  return {
    object: 'gpt',
    id: row.id,
    slug: row.slug,
    organisation_id: row.organisation_id,
    project_id: row.project_id,
    creator_key_id: row.creator_key_id,
    creator_user_id: row.creator_user_id,
    name: row.name,
    description: row.description,
    avatar_url: row.avatar_url,
    category: row.category,
    base_model: row.base_model,
    instructions: row.instructions,
    conversation_starters: storedConversationStartersSchema.parse(JSON.parse(row.conversation_starters)),
    capabilities: capabilitiesSchema.parse(JSON.parse(row.capabilities)),
    visibility: gptVisibilitySchema.parse(row.visibility),
    revenue_share_basis_points: row.revenue_share_basis_points,
    latest_version: row.latest_version,
    published_at: row.published_at,
    hidden_at: row.hidden_at,
    hidden_reason: row.hidden_reason,
    featured_at: row.featured_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The draft frozen as a version, all but the actions snapshot (which the toolbox makes). */
export function publishedFromRow(row: GptRow, version: number, publishedAt: string): Omit<PublishedGpt, 'actionsSnapshot'> {
  const record = toGptRecord(row);
  return {
    gptId: row.id,
    slug: row.slug,
    version,
    name: record.name,
    description: record.description,
    category: record.category,
    baseModel: record.base_model,
    instructions: record.instructions,
    conversationStarters: record.conversation_starters,
    capabilities: record.capabilities,
    visibility: record.visibility,
    ownerOrganisationId: row.organisation_id,
    ownerProjectId: row.project_id,
    creatorUserId: row.creator_user_id,
    creatorKeyId: row.creator_key_id,
    revenueShareBasisPoints: row.revenue_share_basis_points,
    publishedAt,
  };
}

/** A version on the wire; the instructions are the creator's work, shown to editors only. */
export function toVersionRecord(published: PublishedGpt, publishedByKeyId: string, withInstructions: boolean): GptVersionRecord {
  return {
    object: 'gpt.version',
    version: published.version,
    published_at: published.publishedAt,
    published_by_key_id: publishedByKeyId,
    gpt_id: published.gptId,
    slug: published.slug,
    name: published.name,
    description: published.description,
    category: published.category,
    base_model: published.baseModel,
    ...(withInstructions ? { instructions: published.instructions } : {}),
    conversation_starters: published.conversationStarters,
    capabilities: published.capabilities,
    revenue_share_basis_points: published.revenueShareBasisPoints,
  };
}

/** A slug made from a name: accents dropped, lower case, other characters as single hyphens. */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  // Names in other scripts leave little or nothing; such GPTs start from "gpt".
  return base.length >= 3 ? base : `gpt-${base}`.replace(/-+$/, '');
}
