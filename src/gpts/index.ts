// The GPT domain's public surface: definitions and versions, knowledge, actions, the store, the runner.
export type * from './gpt-contracts.js';
export {
  GptExchange,
  GptService,
  PublishedGptResolver,
  createGptInputSchema,
  gptCategories,
  gptSlugSchema,
  importGptInputSchema,
  parseGptReference,
  updateGptInputSchema,
  type CreateGptInput,
  type GptActor,
  type GptCategory,
  type GptPage,
  type GptRecord,
  type GptServiceOptions,
  type GptVersionRecord,
  type GptVersionSummary,
  type ImportGptInput,
  type UpdateGptInput,
} from './definitions/index.js';
export { SafeHttpClient, type ResolvedAddress, type SafeHttpClientOptions } from './actions/index.js';
export {
  BuilderDomainVerifier,
  GptStore,
  moderationReasonSchema,
  reportResolutionSchema,
  type BuilderDomainVerifierOptions,
  type GptCreatorStats,
  type GptStoreOptions,
  type StoreGptItem,
  type TxtResolver,
} from './store/index.js';
