// Organisations, projects, users, memberships and the tenancy columns of api_keys, as Kysely sees them.
// Timestamps are ISO-8601 UTC text; rate limits are per minute, null when not set.

export interface OrganisationsTable {
  id: string;
  name: string;
  slug: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  created_at: string;
  archived_at: string | null;
}

export interface ProjectsTable {
  id: string;
  organisation_id: string;
  name: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  created_at: string;
  archived_at: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  created_at: string;
}

export interface MembershipsTable {
  user_id: string;
  organisation_id: string;
  /** owner | admin | member | billing_viewer */
  role: string;
  created_at: string;
}

/** The columns migration 0006 adds to api_keys; intersected with the core ApiKeysTable. */
export interface ApiKeyTenancyColumns {
  organisation_id: string;
  project_id: string;
  user_id: string | null;
  /** JSON: { allowed_models, denied_models, allowed_gpts, ip_allow_list }; null = no restriction. */
  scopes: string | null;
  expires_at: string | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
}

export interface TenancyTables {
  organisations: OrganisationsTable;
  projects: ProjectsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_keys: ApiKeyTenancyColumns;
}
