// Azure OpenAI URLs. The classic API addresses a deployment in the path and needs an
// api-version query; the newer v1 API (apiVersion "v1") takes the deployment as `model`.

/** The latest generally available version of the deployment-path inference API. */
export const defaultAzureOpenAiApiVersion = '2024-10-21';

export type AzureOperation = 'chat/completions' | 'embeddings' | 'completions';

export interface AzureEndpoint {
  readonly url: string;
  /** True when the deployment travels in the body's `model` rather than in the path. */
  readonly deploymentInBody: boolean;
}

export function azureOpenAiEndpoint(baseUrl: string, apiVersion: string | undefined, deployment: string, operation: AzureOperation): AzureEndpoint {
  // Accept the resource endpoint as the portal shows it, with or without `/openai`.
  const base = baseUrl.replace(/\/+$/, '').replace(/\/openai(\/v1)?$/, '');
  const version = apiVersion ?? defaultAzureOpenAiApiVersion;
  if (version === 'v1') return { url: `${base}/openai/v1/${operation}`, deploymentInBody: true };
  return {
    url: `${base}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?api-version=${encodeURIComponent(version)}`,
    deploymentInBody: false,
  };
}
