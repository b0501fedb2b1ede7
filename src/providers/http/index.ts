// The shared upstream HTTP layer: one pooled client, SSE and JSON-lines parsing, retry-after,
// and the mapping of every upstream failure to UpstreamError. Adapters import only this file.
export {
  postJson,
  postForEvents,
  postForJsonLines,
  type UpstreamRequest,
  type EventStreamOptions,
  type JsonLinesOptions,
} from './upstream-http-client.js';
export { closeUpstreamClients } from './upstream-agent.js';
export { parseRetryAfter } from './retry-after-parser.js';
export { SseParser, type SseEvent } from './sse-parser.js';
export { JsonLinesParser } from './json-lines-parser.js';
export { describeUpstreamErrorBody, type UpstreamErrorDescriber, type UpstreamErrorDescription } from './upstream-error-mapping.js';
