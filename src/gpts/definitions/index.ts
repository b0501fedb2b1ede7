// GPT definitions and versions: drafts, publishing, the published-version resolver, import and export.
export { GptService, type GptServiceOptions } from './gpt-service.js';
export { PublishedGptResolver, parseGptReference, type GptReference } from './published-gpt-resolver.js';
export { ensureGptEditor, gptNotFound, isGptEditor, mayViewGpt, type GptActor, type GptOwnership } from './gpt-access-rules.js';
export {
  createGptInputSchema,
  gptCategories,
  gptCategorySchema,
  gptLimits,
  gptSlugPattern,
  gptSlugSchema,
  gptVisibilitySchema,
  updateGptInputSchema,
  type CreateGptInput,
  type GptCategory,
  type GptPage,
  type GptRecord,
  type GptVersionRecord,
  type GptVersionSummary,
  type UpdateGptInput,
} from './gpt-definition-schemas.js';
export {
  GptExchange,
  gptExportDocumentSchema,
  importGptInputSchema,
  lobeChatAgentSchema,
  type GptExportDocument,
  type GptExportFileFormat,
  type ImportGptInput,
  type LobeChatAgent,
} from './gpt-exchange.js';
