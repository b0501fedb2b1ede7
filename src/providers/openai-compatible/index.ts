// The adapter for every OpenAI-compatible upstream, and the vendor presets it knows.
export { OpenAiCompatibleAdapter, createOpenAiCompatibleAdapter } from './openai-compatible-adapter.js';
export {
  findOpenAiCompatiblePreset,
  openAiCompatiblePresets,
  type OpenAiCompatibleAuthentication,
  type OpenAiCompatiblePreset,
} from './openai-compatible-presets.js';
export type { ModelFamilyQuirks, NumberRange, OpenAiCompatibleQuirks, ToolChoiceKind } from './openai-compatible-quirks.js';
