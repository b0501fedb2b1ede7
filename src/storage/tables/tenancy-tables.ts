// Organisations, projects, users, memberships, key scopes, audit log, encrypted provider credentials, as Kysely sees them. Timestamps are ISO-8601 UTC text; money is integer micro-units.

// The tables are added here as their migration creates them; DatabaseSchema joins every group.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TenancyTables {}
