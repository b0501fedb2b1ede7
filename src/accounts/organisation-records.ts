// The shapes of organisations, projects and members at the boundary: inputs (zod, strict) and
// the records listings show.
import { z } from 'zod';
import { organisationRoleSchema } from './principal.js';
import type { MemberRow, OrganisationRow, ProjectRow } from './tenancy-repository.js';

const perMinuteSchema = z.number().int().positive().max(1_000_000_000);
const nameSchema = z.string().trim().min(1).max(200);
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a slug is 1-63 lower-case letters, digits and hyphens, starting with a letter or digit');

export const createOrganisationInputSchema = z.strictObject({
  name: nameSchema,
  slug: slugSchema.optional(),
  requests_per_minute: perMinuteSchema.nullable().optional(),
  tokens_per_minute: perMinuteSchema.nullable().optional(),
});
export type CreateOrganisationInput = z.input<typeof createOrganisationInputSchema>;

export const updateOrganisationInputSchema = z.strictObject({
  name: nameSchema.optional(),
  requests_per_minute: perMinuteSchema.nullable().optional(),
  tokens_per_minute: perMinuteSchema.nullable().optional(),
  archived: z.boolean().optional(),
});
export type UpdateOrganisationInput = z.input<typeof updateOrganisationInputSchema>;

export const createProjectInputSchema = z.strictObject({
  name: nameSchema,
  requests_per_minute: perMinuteSchema.nullable().optional(),
  tokens_per_minute: perMinuteSchema.nullable().optional(),
});
export type CreateProjectInput = z.input<typeof createProjectInputSchema>;

export const updateProjectInputSchema = updateOrganisationInputSchema;
export type UpdateProjectInput = z.input<typeof updateProjectInputSchema>;

export const addMemberInputSchema = z.strictObject({
  email: z.email().max(320).transform((email) => email.toLowerCase()),
  name: nameSchema.optional(),
  role: organisationRoleSchema.default('member'),
});
export type AddMemberInput = z.input<typeof addMemberInputSchema>;

export const updateMemberInputSchema = z.strictObject({ role: organisationRoleSchema });
export type UpdateMemberInput = z.input<typeof updateMemberInputSchema>;

export interface OrganisationRecord {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly requests_per_minute: number | null;
  readonly tokens_per_minute: number | null;
  readonly created_at: string;
  readonly archived_at: string | null;
}

export interface ProjectRecord {
  readonly id: string;
  readonly organisation_id: string;
  readonly name: string;
  readonly requests_per_minute: number | null;
  readonly tokens_per_minute: number | null;
  readonly created_at: string;
  readonly archived_at: string | null;
}

export interface MemberRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly organisation_id: string;
  readonly role: z.infer<typeof organisationRoleSchema>;
  readonly created_at: string;
  readonly joined_at: string;
}

const numberOrNull = (value: number | null): number | null => (value === null ? null : Number(value));

export function toOrganisationRecord(row: OrganisationRow): OrganisationRecord {
  return { ...row, requests_per_minute: numberOrNull(row.requests_per_minute), tokens_per_minute: numberOrNull(row.tokens_per_minute) };
}

export function toProjectRecord(row: ProjectRow): ProjectRecord {
  return { ...row, requests_per_minute: numberOrNull(row.requests_per_minute), tokens_per_minute: numberOrNull(row.tokens_per_minute) };
}

export function toMemberRecord(row: MemberRow): MemberRecord {
  return { id: row.id, email: row.email, name: row.name, organisation_id: row.organisation_id, role: organisationRoleSchema.parse(row.role), created_at: row.created_at, joined_at: row.joined_at };
}

/** A slug from a name: lower-case ASCII letters and digits joined by hyphens. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug === '' ? 'organisation' : slug;
}
