// GPT knowledge: files and live sources extracted, chunked and indexed (BM25 and vectors), and
// hybrid retrieval for the runner and the builder's preview.
export { KnowledgeService, contentHash, documentView, type KnowledgeConfig, type KnowledgeDocumentView, type KnowledgeServiceOptions, type KnowledgeStatus, type IncomingDocument } from './knowledge-service.js';
export { KnowledgeRetrieval, fuseRankings, reciprocalRankConstant, type EmbedTexts, type RetrievalMode } from './knowledge-retrieval.js';
export { meteredKnowledgeEmbedder, type AdmitKnowledgeEmbeddings } from './knowledge-embedding-metering.js';
export { KnowledgeIndex, type VectorSearchStatus } from './knowledge-index.js';
export {
  KnowledgeSourceService,
  createKnowledgeSourceInputSchema,
  pushDocumentsInputSchema,
  sourceView,
  type CreateKnowledgeSourceInput,
  type KnowledgeSourceServiceOptions,
  type KnowledgeSourceView,
  type PollOutcome,
  type PushDocumentsInput,
} from './knowledge-source-service.js';
export { KnowledgeSourcePoller, type KnowledgeSourcePollerOptions } from './knowledge-source-poller.js';
export { extractDocumentText, knowledgeFileKind, type ExtractedDocument, type KnowledgeFileKind } from './knowledge-extraction.js';
export { chunkText, type ChunkingOptions, type TextChunk } from './knowledge-chunking.js';
export { parseFeed, type FeedItem, type ParsedFeed } from './knowledge-feed-parsing.js';
