// GPT actions: the SSRF-safe outbound client, OpenAPI and MCP tools, their auth, and execution.
export { SafeHttpClient, type ResolvedAddress, type SafeHttpClientOptions } from './safe-http-client.js';
export { GptActionStore, type GptActionRecord, type GptActionStoreOptions } from './gpt-action-store.js';
export { ActionToolExecutor, type ActionToolExecutorOptions, type ExecutableAction } from './action-tool-executor.js';
export { ActionAuthoriser } from './action-authorisation.js';
export { GptActionToolbox, type GptActionToolboxOptions } from './gpt-action-toolbox.js';
export {
  GptActionService,
  createActionInputSchema,
  testActionInputSchema,
  updateActionInputSchema,
  type CreateActionInput,
  type GptActionServiceOptions,
  type TestActionInput,
  type UpdateActionInput,
} from './gpt-action-service.js';
export { authWire, type ActionAuth, type ActionsSnapshot, type GptActionView } from './gpt-action-schemas.js';
export { importOpenApi, type ImportedOpenApi } from './openapi-tools.js';
