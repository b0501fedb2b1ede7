// Who may see and who may change a GPT. Editors: the creator key or user, an owner or admin of
// the GPT's organisation, an installation admin. Seeing follows the visibility: private to its
// editors, organisation to its organisation, link and public to anyone. A GPT someone may not
// see does not exist for them (404), so another tenant's private GPT is never revealed.
import type { Principal } from '../../accounts/index.js';
import { notFound, permissionDenied, type ModelmartError } from '../../core/index.js';

/** The part of a principal these rules read; the command line's local operator has it too. */
export type GptActor = Pick<Principal, 'keyId' | 'role' | 'organisationId' | 'organisationRole' | 'projectId' | 'userId'>;

export type GptOwnership = {
  readonly organisation_id: string;
  readonly creator_key_id: string;
  readonly creator_user_id: string | null;
  readonly visibility: string;
};

export function isGptEditor(gpt: GptOwnership, actor: GptActor): boolean {
  if (actor.role === 'admin') return true;
  if (actor.organisationId !== gpt.organisation_id) return false;
  if (actor.keyId === gpt.creator_key_id) return true;
  if (actor.userId !== null && actor.userId === gpt.creator_user_id) return true;
  return actor.organisationRole === 'owner' || actor.organisationRole === 'admin';
}

/** Whether the GPT's visibility lets the actor see it (editors always may). */
export function mayViewGpt(gpt: GptOwnership, actor: GptActor): boolean {
  if (isGptEditor(gpt, actor)) return true;
  if (gpt.visibility === 'link' || gpt.visibility === 'public') return true;
  return gpt.visibility === 'organisation' && actor.organisationId === gpt.organisation_id;
}

export function gptNotFound(reference: string, param: string | null = null): ModelmartError {
  return notFound(`No GPT ${JSON.stringify(reference)} is visible to this API key.`, 'gpt_not_found', param);
}

/**
 * Throws unless the actor may change the GPT: 403 `permission_denied` for someone who may know
 * it exists (its organisation, or anyone for a GPT shared by link or in the store), 404 otherwise.
 */
export function ensureGptEditor(gpt: GptOwnership & { readonly slug: string }, actor: GptActor): void {
  if (isGptEditor(gpt, actor)) return;
  if (actor.organisationId === gpt.organisation_id || mayViewGpt(gpt, actor)) {
    throw permissionDenied(`Only the creator of GPT ${JSON.stringify(gpt.slug)}, an owner or admin of its organisation, or an installation admin may change it.`);
  }
  throw gptNotFound(gpt.slug);
}
