// The GPT domain's public surface: definitions and versions, knowledge, actions, the store, the runner.
export type * from './gpt-contracts.js';
