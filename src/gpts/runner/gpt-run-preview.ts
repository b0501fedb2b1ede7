// Preview: an editor calls a GPT's saved, unpublished draft as `gpt:<slug>@draft` (the builder's
// preview chat), so instructions, knowledge and actions can be tried before publishing. Only
// the GPT's editors may (others get the same 404 or 403 as for editing it); the draft runs with
// the actions as they are now, and is reported as version 0.
import type { Principal } from '../../accounts/index.js';
import type { GptRecord } from '../definitions/index.js';
import type { GptToolbox, PublishedGpt } from '../gpt-contracts.js';

/** The reference suffix that names a GPT's draft instead of a published version. */
export const draftReferenceSuffix = '@draft';

/** The version number a draft run reports: no published version is 0. */
export const draftVersion = 0;

/** Where the runner reads a draft: the GPT definitions, which check that the caller may edit it. */
export interface GptDraftSource {
  requireEditable(reference: string, principal: Principal): Promise<GptRecord>;
}

export function isDraftReference(reference: string): boolean {
  return reference.endsWith(draftReferenceSuffix);
}

/** The draft as the runner runs it: like a published version, with the actions as they stand. */
export async function draftAsRunnableGpt(drafts: GptDraftSource, toolbox: Pick<GptToolbox, 'snapshot'> | undefined, reference: string, principal: Principal): Promise<PublishedGpt> {
  const draft = await drafts.requireEditable(reference.slice(0, -draftReferenceSuffix.length), principal);
  return {
    gptId: draft.id,
    slug: draft.slug,
    version: draftVersion,
    name: draft.name,
    description: draft.description,
    category: draft.category,
    baseModel: draft.base_model,
    instructions: draft.instructions,
    conversationStarters: draft.conversation_starters,
    capabilities: draft.capabilities,
    visibility: draft.visibility,
    ownerOrganisationId: draft.organisation_id,
    ownerProjectId: draft.project_id,
    creatorUserId: draft.creator_user_id,
    creatorKeyId: draft.creator_key_id,
    revenueShareBasisPoints: draft.revenue_share_basis_points,
    actionsSnapshot: toolbox === undefined ? null : await toolbox.snapshot(draft.id),
    publishedAt: draft.updated_at,
  };
}
