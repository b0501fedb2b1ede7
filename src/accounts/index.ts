// Accounts: organisations, projects, users and memberships; API keys and the principals they authenticate.
export { ApiKeyService, checkClientAddress, type CreatedApiKey } from './api-key-service.js';
export { apiKeyRecordSchema, createKeyInputSchema, type ApiKeyRecord, type CreateKeyInput } from './api-key-records.js';
export { OrganisationService } from './organisation-service.js';
export {
  addMemberInputSchema,
  createOrganisationInputSchema,
  createProjectInputSchema,
  updateMemberInputSchema,
  updateOrganisationInputSchema,
  updateProjectInputSchema,
  type MemberRecord,
  type OrganisationRecord,
  type ProjectRecord,
} from './organisation-records.js';
export {
  defaultOrganisationId,
  defaultProjectId,
  keyAllowsGpt,
  keyAllowsModel,
  keyRoleSchema,
  localOperator,
  mayManageOrganisation,
  organisationRoleSchema,
  systemPrincipal,
  type Actor,
  type KeyRole,
  type KeyScopes,
  type OrganisationRole,
  type Principal,
  type RateLimitSettings,
} from './principal.js';
export { keyScopesWireSchema, type KeyScopesWire } from './key-scope-rules.js';
export { apiKeyPrefix } from './api-key-format.js';
export { AuditLog, auditActionSchema, auditEntryInputSchema, auditLogEntrySchema, auditLogFilterSchema, type AuditEntryInput, type AuditLogEntry, type AuditLogFilter, type AuditLogPage } from './audit-log-service.js';
export { redactSecrets, redactedMarker } from './audit-log-redaction.js';
export { CredentialVault, credentialStatusSchema, providerApiKeySchema, type CredentialStatus, type CredentialVaultOptions, type RotationResult } from './credential-vault.js';
export { encryptionKeyId, encryptionKeyVariable, parseEncryptionKey } from './credential-vault-cipher.js';
