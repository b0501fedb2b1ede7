// The Azure OpenAI provider: OpenAI's own wire format, addressed by deployment and api-version.
export { createAzureOpenAiAdapter } from './azure-openai-adapter.js';
export { azureOpenAiEndpoint, defaultAzureOpenAiApiVersion, type AzureEndpoint, type AzureOperation } from './azure-openai-urls.js';
export { translateAzureOpenAiStream } from './azure-openai-stream-translator.js';
