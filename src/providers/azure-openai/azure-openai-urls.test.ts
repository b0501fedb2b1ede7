import { describe, expect, it } from 'vitest';
import { azureOpenAiEndpoint, defaultAzureOpenAiApiVersion } from './azure-openai-urls.js';

describe('azureOpenAiEndpoint', () => {
  it('addresses the deployment in the path with the api-version', () => {
    expect(azureOpenAiEndpoint('https://contoso.openai.azure.com/', undefined, 'gpt-4o prod', 'chat/completions')).toEqual({
      url: `https://contoso.openai.azure.com/openai/deployments/gpt-4o%20prod/chat/completions?api-version=${defaultAzureOpenAiApiVersion}`,
      deploymentInBody: false,
    });
    expect(azureOpenAiEndpoint('https://contoso.openai.azure.com/openai', '2025-04-01-preview', 'embed', 'embeddings').url).toBe(
      'https://contoso.openai.azure.com/openai/deployments/embed/embeddings?api-version=2025-04-01-preview',
    );
  });

  it('uses the v1 API, with the deployment as model, when apiVersion is v1', () => {
    expect(azureOpenAiEndpoint('https://contoso.openai.azure.com/openai/v1', 'v1', 'gpt-4o', 'chat/completions')).toEqual({
      url: 'https://contoso.openai.azure.com/openai/v1/chat/completions',
      deploymentInBody: true,
    });
  });
});
