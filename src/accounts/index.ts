// Accounts: API keys and the principals they authenticate (organisations and users come with billing).
export {
  ApiKeyService,
  apiKeyRecordSchema,
  keyRoleSchema,
  type ApiKeyRecord,
  type CreatedApiKey,
  type KeyRole,
  type Principal,
} from './api-key-service.js';
export { apiKeyPrefix } from './api-key-format.js';
