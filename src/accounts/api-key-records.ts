// The shapes of API keys at the boundary: what creating one takes, what a listing shows (never the
// key or its hash), and how a stored row with its project and organisation becomes a Principal.
import { z } from 'zod';
import { keyScopesWireSchema, unrestrictedScopes, type KeyScopesWire } from './key-scope-rules.js';
import { keyRoleSchema, organisationRoleSchema, type OrganisationRole, type Principal, type RateLimitSettings } from './principal.js';
import type { ApiKeyRow, AuthenticationRow } from './api-key-repository.js';

const perMinuteSchema = z.number().int().positive().max(1_000_000_000);
export const identifierSchema = z.string().trim().min(1).max(100);

export const createKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: keyRoleSchema.default('user'),
  organisation_id: identifierSchema.optional(),
  project_id: identifierSchema.optional(),
  user_id: identifierSchema.optional(),
  scopes: keyScopesWireSchema.optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  requests_per_minute: perMinuteSchema.optional(),
  tokens_per_minute: perMinuteSchema.optional(),
});
export type CreateKeyInput = z.input<typeof createKeyInputSchema>;

export const apiKeyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  display_hint: z.string(),
  role: keyRoleSchema,
  organisation_id: z.string(),
  project_id: z.string(),
  user_id: z.string().nullable(),
  scopes: keyScopesWireSchema,
  expires_at: z.string().nullable(),
  requests_per_minute: z.number().nullable(),
  tokens_per_minute: z.number().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

export function parseStoredScopes(text: string | null): KeyScopesWire {
  return text === null ? unrestrictedScopes : keyScopesWireSchema.parse(JSON.parse(text));
}

export function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    display_hint: row.display_hint,
    role: keyRoleSchema.parse(row.role),
    organisation_id: row.organisation_id,
    project_id: row.project_id,
    user_id: row.user_id,
    scopes: parseStoredScopes(row.scopes),
    expires_at: row.expires_at,
    requests_per_minute: row.requests_per_minute,
    tokens_per_minute: row.tokens_per_minute,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
  };
}

function limitSettings(requestsPerMinute: number | null, tokensPerMinute: number | null): RateLimitSettings {
  return {
    ...(requestsPerMinute === null ? {} : { requestsPerMinute: Number(requestsPerMinute) }),
    ...(tokensPerMinute === null ? {} : { tokensPerMinute: Number(tokensPerMinute) }),
  };
}

/** Why a stored key cannot authenticate although its hash matched, or undefined when it can. */
export function unusableReason(row: AuthenticationRow): string | undefined {
  if (row.revoked_at !== null) return 'was revoked';
  if (row.organisation_archived_at !== null) return 'belongs to an archived organisation';
  if (row.project_archived_at !== null) return 'belongs to an archived project';
  if (row.role !== 'admin' && row.user_id !== null && row.membership_role === null) return "belongs to a user who is no longer a member of the key's organisation";
  return undefined;
}

export function toPrincipal(row: AuthenticationRow): Principal {
  const role = keyRoleSchema.parse(row.role);
  let organisationRole: OrganisationRole = 'member';
  if (role === 'admin') organisationRole = 'owner';
  else if (row.user_id !== null && row.membership_role !== null) organisationRole = organisationRoleSchema.parse(row.membership_role);
  const scopes = parseStoredScopes(row.scopes);
  return {
    keyId: row.id,
    keyName: row.name,
    role,
    organisationId: row.organisation_id,
    projectId: row.project_id,
    userId: row.user_id,
    organisationRole,
    scopes: {
      allowedModels: scopes.allowed_models,
      deniedModels: scopes.denied_models,
      allowedGpts: scopes.allowed_gpts,
      ipAllowList: scopes.ip_allow_list,
      expiresAt: row.expires_at,
    },
    limits: {
      key: limitSettings(row.requests_per_minute, row.tokens_per_minute),
      project: limitSettings(row.project_requests_per_minute, row.project_tokens_per_minute),
      organisation: limitSettings(row.organisation_requests_per_minute, row.organisation_tokens_per_minute),
    },
  };
}
