// The audit log of admin changes and provider credentials encrypted at rest, as Kysely sees them.

// The tables are added here as their migration creates them; DatabaseSchema joins every group.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SecurityTables {}
