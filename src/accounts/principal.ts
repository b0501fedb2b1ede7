// Who is calling: the principal an API key authenticates as (its organisation, project, user role,
// scopes and limits), and the rules that decide what it may see and manage.
import { z } from 'zod';
import { notFound, permissionDenied } from '../core/index.js';
import { scopesAllowGpt, scopesAllowModel, type KeyScopes } from './key-scope-rules.js';

export type { KeyScopes } from './key-scope-rules.js';

export const keyRoleSchema = z.enum(['admin', 'user']);
export type KeyRole = z.infer<typeof keyRoleSchema>;

export const organisationRoleSchema = z.enum(['owner', 'admin', 'member', 'billing_viewer']);
export type OrganisationRole = z.infer<typeof organisationRoleSchema>;

export const defaultOrganisationId = 'org_default';
export const defaultProjectId = 'proj_default';

export interface RateLimitSettings {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

export interface Principal {
  readonly keyId: string;
  readonly keyName: string;
  /** 'admin' = installation administrator (sees every organisation), 'user' otherwise. */
  readonly role: KeyRole;
  readonly organisationId: string;
  readonly projectId: string;
  readonly userId: string | null;
  /** The user's role; keys without a user: 'member'; installation admin keys: 'owner'. */
  readonly organisationRole: OrganisationRole;
  readonly scopes: KeyScopes;
  readonly limits: { readonly key: RateLimitSettings; readonly project: RateLimitSettings; readonly organisation: RateLimitSettings };
}

/**
 * A principal with no API key behind it, for model calls the server makes on someone's behalf
 * (evaluation runs, GPT knowledge indexing): metered under `keyId` in the given organisation and
 * project, with no scopes or limits of its own (the organisation's and project's still apply).
 */
export function systemPrincipal(identity: Pick<Principal, 'keyId' | 'keyName' | 'role' | 'organisationId' | 'projectId' | 'organisationRole'>): Principal {
  return {
    ...identity,
    userId: null,
    scopes: { allowedModels: null, deniedModels: [], allowedGpts: null, ipAllowList: null, expiresAt: null },
    limits: { key: {}, project: {}, organisation: {} },
  };
}

/** The part of a principal that decides access; the CLI acts as the local operator. */
export type Actor = Pick<Principal, 'keyId' | 'role' | 'organisationId' | 'organisationRole'>;

/** Whoever runs the command line on the server: an installation administrator. */
export const localOperator: Actor = { keyId: 'local-operator', role: 'admin', organisationId: defaultOrganisationId, organisationRole: 'owner' };

export function keyAllowsModel(principal: Principal, modelName: string): boolean {
  return scopesAllowModel(principal.scopes, modelName);
}

export function keyAllowsGpt(principal: Principal, gptSlug: string): boolean {
  return scopesAllowGpt(principal.scopes, gptSlug);
}

export function isInstallationAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

export function mayManageOrganisation(actor: Actor): boolean {
  return actor.role === 'admin' || actor.organisationRole === 'owner' || actor.organisationRole === 'admin';
}

/** Other tenants' organisations do not exist for an organisation-scoped actor: 404, never 403. */
export function ensureOrganisationVisible(actor: Actor, organisationId: string): void {
  if (!isInstallationAdmin(actor) && actor.organisationId !== organisationId) throw organisationNotFound(organisationId);
}

export function requireOrganisationManager(actor: Actor): void {
  if (!mayManageOrganisation(actor)) {
    throw permissionDenied(`This needs an installation admin key or a key of an organisation owner or admin; this key's role is ${actor.organisationRole}.`);
  }
}

export function requireInstallationAdmin(actor: Actor, what: string): void {
  if (!isInstallationAdmin(actor)) throw permissionDenied(`Only an installation admin key may ${what}.`);
}

export function organisationNotFound(id: string, param: string | null = 'id') {
  return notFound(`No organisation with id ${JSON.stringify(id)}.`, 'organisation_not_found', param);
}
