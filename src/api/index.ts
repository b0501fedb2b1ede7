// OpenAI wire types and zod schemas, and the helpers that turn validation failures into 400s.
export { parseBody, zodErrorToModelmartError } from './validation-errors.js';
export * from './chat-schemas.js';
export * from './embeddings-schemas.js';
export * from './completions-schemas.js';
export * from './sse-codec.js';
export * from './responses-schemas.js';
export * from './token-counting.js';
