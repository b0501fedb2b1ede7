// The audit log of admin changes and provider credentials encrypted at rest, as Kysely sees them.
// Timestamps are ISO-8601 UTC text.

/** One admin change; append-only (nothing updates or deletes a row). */
export interface AuditLogTable {
  id: string;
  /** The organisation the change belongs to; null for installation-wide changes. */
  organisation_id: string | null;
  /** The API key that made the change (`local-operator` for the command line). */
  actor_key_id: string;
  actor_user_id: string | null;
  /** What was done, `<target>.<verb>`: key.create, route.update, model.price.add … */
  action: string;
  target_type: string;
  target_id: string;
  /** JSON of the target before and after the change, secrets redacted; null where there is none. */
  before: string | null;
  after: string | null;
  request_id: string | null;
  created_at: string;
}

/** A provider's API key, AES-256-GCM encrypted; every binary column is base64 text. */
export interface ProviderCredentialsTable {
  provider_id: string;
  ciphertext: string;
  /** The 12-byte GCM nonce, new for every encryption. */
  nonce: string;
  auth_tag: string;
  /** Which encryption key sealed it: the first 8 hex digits of the key's SHA-256. */
  key_id: string;
  created_at: string;
  updated_at: string;
  /** The API key id (or `local-operator`) that stored it last. */
  updated_by: string;
}

export interface SecurityTables {
  audit_log: AuditLogTable;
  provider_credentials: ProviderCredentialsTable;
}
