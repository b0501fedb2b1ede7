// The seams between the GPT domain's parts: definitions and versions, knowledge, actions, the
// store and the runner. Each part implements its side here and imports the others only through
// these types, so they can be built and tested apart and wired together in gpt-services.ts.
import type { Principal } from '../accounts/index.js';

export type GptVisibility = 'private' | 'organisation' | 'link' | 'public';

/** What a GPT may do beyond answering from its instructions. */
export interface GptCapabilities {
  /** Retrieve passages from its knowledge and cite them. */
  readonly knowledge: boolean;
  /** Call the tools of its actions (OpenAPI operations, MCP tools). */
  readonly actions: boolean;
}

/**
 * One published, immutable version of a GPT: what the runner executes. `actionsSnapshot` is what
 * the toolbox's `snapshot` returned at publishing (opaque to everyone but the toolbox), so a
 * later edit of an action never changes a published version.
 */
export interface PublishedGpt {
  readonly gptId: string;
  readonly slug: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly category: string | null;
  /** A catalogue model, `<provider>/<model>` or a route name, resolved by the router per call. */
  readonly baseModel: string;
  readonly instructions: string;
  readonly conversationStarters: readonly string[];
  readonly capabilities: GptCapabilities;
  readonly visibility: GptVisibility;
  readonly ownerOrganisationId: string;
  readonly ownerProjectId: string;
  readonly creatorUserId: string | null;
  readonly creatorKeyId: string;
  /** The creator's share of what a caller pays, in basis points (7,000 = 70 %). */
  readonly revenueShareBasisPoints: number;
  readonly actionsSnapshot: unknown;
  readonly publishedAt: string;
}

/** Turns `slug` or `slug@version` (without the `gpt:` prefix) into the version a caller may run. */
export interface GptResolver {
  /**
   * Refuses with 404 `gpt_not_found` when the GPT or version does not exist, is hidden by
   * moderation, or is not visible to the principal (private: its organisation's creator key or
   * user only; organisation: its organisation; link and public: anyone).
   */
  resolvePublished(reference: string, principal: Principal): Promise<PublishedGpt>;
}

/** A passage found in a GPT's knowledge, with where it came from, to be cited. */
export interface RetrievedPassage {
  readonly chunkId: string;
  readonly documentId: string;
  readonly text: string;
  /** The document's title (file name, page title or feed item title). */
  readonly title: string;
  /** A file name or the URL the document was fetched from. */
  readonly source: string;
  /** When the document was published or fetched (ISO-8601), or null when unknown. */
  readonly date: string | null;
  /** Higher is better; the fused reciprocal-rank score. */
  readonly score: number;
}

/** How a retrieval runs; `caller` pays for embedding the query (without it, the GPT's organisation does). */
export interface RetrievalOptions {
  readonly limit: number;
  readonly signal?: AbortSignal;
  readonly caller?: Principal;
}

export interface KnowledgeRetriever {
  /** The best passages for the query from the GPT's knowledge, best first; empty when it has none. */
  retrieve(gptId: string, query: string, options: RetrievalOptions): Promise<readonly RetrievedPassage[]>;
}

/** A tool offered to the base model, in the shape of an OpenAI function tool. */
export interface GptTool {
  /** Unique within the GPT; matches ^[a-zA-Z0-9_-]{1,64}$. */
  readonly name: string;
  readonly description: string;
  /** A JSON Schema object for the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface ToolExecutionContext {
  readonly requestId: string;
  /** Epoch milliseconds by which the tool must have answered (the runner's deadline or the tool timeout). */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

/**
 * The outcome of one tool call. A failure (arguments that fail the schema, a timeout, an HTTP
 * error, a refused destination) is a result too: its `content` goes back to the model as the
 * tool's answer, and the loop continues.
 */
export interface ToolExecutionResult {
  readonly ok: boolean;
  /** Text for the model: the response body (JSON text where it was JSON), or the error explained. */
  readonly content: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly durationMilliseconds: number;
}

export interface GptToolbox {
  /** A self-contained description of a GPT's current actions, stored in the version at publishing. */
  snapshot(gptId: string): Promise<unknown>;
  /** The tools a published version offers. */
  toolsOf(actionsSnapshot: unknown): Promise<readonly GptTool[]>;
  /** Runs one call of a tool of that version; never throws for a failure of the tool itself. */
  execute(actionsSnapshot: unknown, toolName: string, argumentsJson: string, context: ToolExecutionContext): Promise<ToolExecutionResult>;
}

export interface SafeFetchOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Default: config `gpts.outbound.timeoutMs`. */
  readonly timeoutMilliseconds?: number;
  /** Default: config `gpts.outbound.maxResponseBytes`; a larger body fails with `response_too_large`. */
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
}

export interface SafeFetchResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: string;
}

/**
 * The one outbound HTTP client of GPTs (actions, MCP, live sources, domain verification). It
 * resolves DNS itself and refuses loopback, private, link-local, cloud-metadata and unspecified
 * addresses (IPv4, IPv6 and IPv4-mapped) unless the configured allow list names them, re-checks
 * every redirect, and caps time and size. Failures throw ModelmartError with codes
 * `destination_not_allowed`, `response_too_large`, `outbound_timeout`, `outbound_failed`.
 */
export interface SafeHttpClient {
  fetch(url: string, options?: SafeFetchOptions): Promise<SafeFetchResponse>;
}
