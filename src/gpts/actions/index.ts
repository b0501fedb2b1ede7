// GPT actions: the SSRF-safe outbound client, OpenAPI and MCP tools, their auth, and execution.
export { SafeHttpClient, type ResolvedAddress, type SafeHttpClientOptions } from './safe-http-client.js';
