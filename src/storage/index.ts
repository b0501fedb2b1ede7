// Storage: the Kysely database on SQLite or PostgreSQL, its schema and migrations.
export { openDatabase, type Database, type DialectName, type OpenDatabaseOptions } from './database.js';
export type { DatabaseSchema, ApiKeysTable, SettingsTable } from './database-schema.js';
export { StorageError } from './storage-errors.js';
export { redactDatabaseUrl } from './dialects/postgres-dialect.js';
export type { ChangeFeed } from './change-feed.js';
