// The OpenAI-compatible vendors Modelmart knows by name: base URL, how the key is sent, which
// endpoints exist, and the documented ways each departs from OpenAI's API. A provider entry
// picks one with `preset:`; its own `baseUrl` overrides the preset's.
import type { ModelFamilyQuirks, OpenAiCompatibleQuirks } from './openai-compatible-quirks.js';

export interface OpenAiCompatibleAuthentication {
  /** Lower-case header name. */
  readonly header: string;
  /** Written before the key, e.g. "Bearer"; empty for a bare key. */
  readonly scheme: string;
}

export interface OpenAiCompatiblePreset {
  readonly id: string;
  readonly vendor: string;
  readonly baseUrl: string;
  readonly authentication: OpenAiCompatibleAuthentication;
  /** Cloud APIs refuse requests without a key; local servers usually take none. */
  readonly apiKeyRequired: boolean;
  /** Whether /embeddings and the legacy /completions exist at this vendor. */
  readonly endpoints: { readonly embeddings: boolean; readonly completions: boolean };
  readonly quirks: OpenAiCompatibleQuirks;
  readonly modelFamilies?: readonly ModelFamilyQuirks[];
  /** Quirks of the /embeddings request, where they differ from OpenAI's. */
  readonly embeddingsQuirks?: OpenAiCompatibleQuirks;
  readonly documentation: string;
}

const bearer: OpenAiCompatibleAuthentication = { header: 'authorization', scheme: 'Bearer' };
const allEndpoints = { embeddings: true, completions: true } as const;

/** Only `max_tokens` is known: OpenAI's newer name is translated. */
const maxTokensOnly = { max_completion_tokens: 'max_tokens' } as const;

/** Sampling controls that reasoning models fix themselves and refuse or ignore. */
const reasoningSamplingParameters = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs', 'logit_bias'];

export const openAiCompatiblePresets: readonly OpenAiCompatiblePreset[] = [
  {
    id: 'openai',
    vendor: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: allEndpoints,
    quirks: { streamUsage: 'request', developerRole: true },
    modelFamilies: [
      {
        // o-series and GPT-5 reasoning models refuse sampling controls and `max_tokens`.
        models: /^(o\d|gpt-5(?!-chat))/,
        family: 'reasoning models',
        quirks: { unsupportedParameters: reasoningSamplingParameters, renamedParameters: { max_tokens: 'max_completion_tokens' } },
      },
    ],
    documentation: 'https://platform.openai.com/docs/api-reference/chat',
  },
  {
    id: 'xai',
    vendor: 'xai',
    baseUrl: 'https://api.x.ai/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: allEndpoints,
    quirks: { streamUsage: 'request' },
    modelFamilies: [
      // Grok reasoning models answer 400 to penalties and stop sequences.
      { models: /^grok-(3-mini|4|code)/, family: 'reasoning models', quirks: { unsupportedParameters: ['presence_penalty', 'frequency_penalty', 'stop'] } },
      { models: /^grok-4/, family: 'grok-4', quirks: { unsupportedParameters: ['reasoning_effort'] } },
    ],
    documentation: 'https://docs.x.ai/docs/guides/reasoning',
  },
  {
    id: 'deepseek',
    vendor: 'deepseek',
    baseUrl: 'https://api.deepseek.com/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: false, completions: false },
    quirks: {
      // The documented request fields; others are ignored upstream, which would be silent.
      supportedParameters: ['max_tokens', 'temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'stop', 'response_format', 'tools', 'tool_choice', 'logprobs', 'top_logprobs', 'thinking'],
      renamedParameters: maxTokensOnly,
      temperatureRange: { minimum: 0, maximum: 2 },
      // Message content must be a string.
      textContentAsString: true,
      streamUsage: 'request',
    },
    modelFamilies: [
      // deepseek-reasoner ignores sampling controls and answers 400 to logprobs.
      { models: /^deepseek-reasoner/, family: 'reasoning model', quirks: { unsupportedParameters: reasoningSamplingParameters } },
    ],
    documentation: 'https://api-docs.deepseek.com/api/create-chat-completion',
  },
  {
    id: 'dashscope',
    vendor: 'dashscope',
    // Mainland endpoint; international accounts use https://dashscope-intl.aliyuncs.com/compatible-mode/v1.
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: allEndpoints,
    quirks: {
      unsupportedParameters: ['logit_bias', 'store', 'metadata'],
      renamedParameters: maxTokensOnly,
      // Temperature is [0, 2) and top_p (0, 1]: the open ends are kept just inside.
      temperatureRange: { minimum: 0, maximum: 1.99 },
      topPRange: { minimum: 0.01, maximum: 1 },
      maximumChoices: 4,
      streamUsage: 'request',
    },
    embeddingsQuirks: { unsupportedParameters: ['user'] },
    documentation: 'https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope',
  },
  {
    id: 'moonshot',
    vendor: 'moonshot',
    // Global endpoint; the China endpoint is https://api.moonshot.cn/v1.
    baseUrl: 'https://api.moonshot.ai/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: false, completions: false },
    quirks: {
      unsupportedParameters: ['logit_bias', 'logprobs', 'top_logprobs', 'store', 'metadata'],
      renamedParameters: maxTokensOnly,
      temperatureRange: { minimum: 0, maximum: 1 },
      maximumChoices: 5,
      toolChoices: ['none', 'auto'],
      // Usage comes in the last chunk's choice, unasked.
      streamUsage: 'automatic',
    },
    documentation: 'https://platform.moonshot.ai/docs/api/chat',
  },
  {
    id: 'zhipu',
    vendor: 'zhipu',
    baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: true, completions: false },
    quirks: {
      unsupportedParameters: ['n', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'seed', 'parallel_tool_calls', 'store', 'metadata', 'reasoning_effort'],
      renamedParameters: { ...maxTokensOnly, user: 'user_id' },
      temperatureRange: { minimum: 0, maximum: 1 },
      topPRange: { minimum: 0.01, maximum: 1 },
      maximumStopSequences: 1,
      toolChoices: ['auto'],
      streamUsage: 'automatic',
    },
    embeddingsQuirks: { unsupportedParameters: ['user'] },
    documentation: 'https://docs.bigmodel.cn/api-reference',
  },
  {
    id: 'qianfan',
    vendor: 'qianfan',
    baseUrl: 'https://qianfan.baidubce.com/v2',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: true, completions: false },
    quirks: {
      unsupportedParameters: ['logit_bias', 'store', 'metadata'],
      // ERNIE models take temperature in (0, 1].
      temperatureRange: { minimum: 0.01, maximum: 1 },
      topPRange: { minimum: 0, maximum: 1 },
      streamUsage: 'request',
    },
    documentation: 'https://cloud.baidu.com/doc/qianfan-api/s/3m7of64lb',
  },
  {
    id: 'hunyuan',
    vendor: 'hunyuan',
    baseUrl: 'https://api.hunyuan.cloud.tencent.com/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: true, completions: false },
    quirks: {
      unsupportedParameters: ['n', 'logit_bias', 'logprobs', 'top_logprobs', 'presence_penalty', 'frequency_penalty', 'parallel_tool_calls', 'store', 'metadata', 'reasoning_effort'],
      renamedParameters: maxTokensOnly,
      temperatureRange: { minimum: 0, maximum: 2 },
      toolChoices: ['none', 'auto', 'function'],
      streamUsage: 'automatic',
    },
    embeddingsQuirks: { unsupportedParameters: ['user', 'dimensions'] },
    documentation: 'https://cloud.tencent.com/document/product/1729/111007',
  },
  {
    id: 'mistral',
    vendor: 'mistral',
    baseUrl: 'https://api.mistral.ai/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: true, completions: false },
    quirks: {
      // Mistral answers 422 to any field it does not know.
      supportedParameters: ['temperature', 'top_p', 'max_tokens', 'stop', 'random_seed', 'response_format', 'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'parallel_tool_calls', 'prediction', 'safe_prompt'],
      renamedParameters: { ...maxTokensOnly, seed: 'random_seed' },
      toolChoiceNames: { required: 'any' },
      messageNames: false,
      // Usage always comes in the last chunk, and stream_options would be refused.
      streamUsage: 'automatic',
    },
    embeddingsQuirks: { unsupportedParameters: ['user'], renamedParameters: { dimensions: 'output_dimension' } },
    documentation: 'https://docs.mistral.ai/api/',
  },
  {
    id: 'groq',
    vendor: 'groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: { embeddings: false, completions: false },
    quirks: {
      // Documented as answering 400 when supplied.
      unsupportedParameters: ['logprobs', 'logit_bias', 'top_logprobs'],
      messageNames: false,
      maximumChoices: 1,
      // Usage arrives unasked in the last chunk's `x_groq.usage`.
      streamUsage: 'automatic',
    },
    documentation: 'https://console.groq.com/docs/openai',
  },
  {
    id: 'together',
    vendor: 'together',
    baseUrl: 'https://api.together.xyz/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: allEndpoints,
    quirks: { unsupportedParameters: ['store', 'metadata'], streamUsage: 'request' },
    documentation: 'https://docs.together.ai/docs/openai-api-compatibility',
  },
  {
    id: 'vllm',
    vendor: 'vllm',
    baseUrl: 'http://localhost:8000/v1',
    authentication: bearer,
    apiKeyRequired: false,
    endpoints: allEndpoints,
    quirks: { streamUsage: 'request' },
    documentation: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  },
  {
    id: 'ollama',
    vendor: 'ollama',
    baseUrl: 'http://localhost:11434/v1',
    authentication: bearer,
    apiKeyRequired: false,
    endpoints: allEndpoints,
    quirks: {
      // The documented fields of Ollama's /v1 endpoint; it ignores others without a word.
      supportedParameters: ['frequency_penalty', 'presence_penalty', 'response_format', 'seed', 'stop', 'temperature', 'top_p', 'max_tokens', 'tools', 'tool_choice', 'reasoning_effort', 'reasoning', 'logprobs', 'top_logprobs'],
      renamedParameters: maxTokensOnly,
      streamUsage: 'request',
    },
    documentation: 'https://docs.ollama.com/api/openai-compatibility',
  },
  {
    id: 'llama-cpp-server',
    vendor: 'llama-cpp-server',
    baseUrl: 'http://localhost:8080/v1',
    authentication: bearer,
    apiKeyRequired: false,
    endpoints: allEndpoints,
    quirks: {
      renamedParameters: maxTokensOnly,
      // "Only one completion choice is allowed."
      maximumChoices: 1,
      streamUsage: 'request',
    },
    documentation: 'https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md',
  },
  {
    id: 'lm-studio',
    vendor: 'lm-studio',
    baseUrl: 'http://localhost:1234/v1',
    authentication: bearer,
    apiKeyRequired: false,
    endpoints: allEndpoints,
    quirks: {
      supportedParameters: ['top_p', 'top_k', 'temperature', 'max_tokens', 'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'repeat_penalty', 'seed', 'tools', 'tool_choice', 'response_format'],
      renamedParameters: maxTokensOnly,
      streamUsage: 'request',
    },
    documentation: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
  },
  {
    // Another Modelmart: stores federate, and it speaks our own API in full.
    id: 'modelmart',
    vendor: 'modelmart',
    baseUrl: 'http://localhost:8080/v1',
    authentication: bearer,
    apiKeyRequired: true,
    endpoints: allEndpoints,
    quirks: { streamUsage: 'request', developerRole: true },
    documentation: 'docs/api.md',
  },
];

const presetsById = new Map(openAiCompatiblePresets.map((preset) => [preset.id, preset]));

export function findOpenAiCompatiblePreset(id: string): OpenAiCompatiblePreset | undefined {
  return presetsById.get(id);
}
