// The licences Modelmart knows, with their terms in structured form so that search, compare
// and the gateway's licence policy can reason about them. Terms are summarised in our own
// words from each licence's public text; `url` points to the text itself.
import { z } from 'zod';

export const commercialUseSchema = z.enum(['yes', 'conditional', 'no']);
export type CommercialUse = z.infer<typeof commercialUseSchema>;

export const licenseTermsSchema = z
  .object({
    name: z.string().min(1),
    url: z.string().url().nullable().default(null),
    /** Whether the licence is OSI-approved open source (or an open data/content licence). */
    open_source: z.boolean().default(false),
    commercial_use: commercialUseSchema,
    /** Above this many monthly active users a separate licence must be requested from the licensor. */
    monthly_active_users_threshold: z.number().int().positive().nullable().default(null),
    /** Annual revenue (USD) above which the licence no longer applies as is. */
    annual_revenue_threshold_usd: z.number().int().positive().nullable().default(null),
    /** Text that products built on the model must display. */
    attribution: z.string().nullable().default(null),
    /** How derivatives must be named, when the licence says. */
    derivative_naming: z.string().nullable().default(null),
    outputs_may_train_other_models: z.boolean(),
    acceptable_use_policy_url: z.string().url().nullable().default(null),
    /** Whether downloading requires accepting the licence first (gated repositories). */
    gated: z.boolean().default(false),
    /** Further conditions, each one sentence, quoted by the licence policy when it refuses. */
    conditions: z.array(z.string()).default([]),
  })
  .strict();
export type LicenseTerms = z.infer<typeof licenseTermsSchema>;
export type LicenseTermsInput = z.input<typeof licenseTermsSchema>;

/** An SPDX id (letters, digits, `.`, `-`, `+`) or a `LicenseRef-…` of our own. */
export const licenseIdSchema = z.string().regex(/^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.+-]*)$/, 'must be an SPDX license id or LicenseRef-…');

const llamaThree = (version: string, outputsMayTrain: boolean, url: string): LicenseTermsInput => ({
  name: `Llama ${version} Community License`,
  url,
  commercial_use: 'conditional',
  monthly_active_users_threshold: 700_000_000,
  attribution: version === '3' ? 'Built with Meta Llama 3' : 'Built with Llama',
  derivative_naming: version === '3' ? 'A derivative model name must begin with "Llama 3".' : 'A derivative model name must begin with "Llama".',
  outputs_may_train_other_models: outputsMayTrain,
  acceptable_use_policy_url: 'https://llama.meta.com/llama3/use-policy/',
  gated: true,
  conditions: ['Licensees whose products exceeded 700 million monthly active users on the release date must request a licence from Meta.'],
});

const registryInput: Readonly<Record<string, LicenseTermsInput>> = {
  'Apache-2.0': { name: 'Apache License 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0', open_source: true, commercial_use: 'yes', outputs_may_train_other_models: true, conditions: ['Redistributions must keep the licence and NOTICE file.'] },
  MIT: { name: 'MIT License', url: 'https://opensource.org/license/mit', open_source: true, commercial_use: 'yes', outputs_may_train_other_models: true, conditions: ['Copies must keep the copyright and permission notice.'] },
  'CC-BY-NC-4.0': {
    name: 'Creative Commons Attribution-NonCommercial 4.0',
    url: 'https://creativecommons.org/licenses/by-nc/4.0/legalcode',
    commercial_use: 'no',
    attribution: 'Credit the licensor and link to the licence.',
    outputs_may_train_other_models: true,
    conditions: ['The material may not be used primarily for commercial advantage or monetary compensation.'],
  },
  'LicenseRef-llama-2': {
    name: 'Llama 2 Community License',
    url: 'https://ai.meta.com/llama/license/',
    commercial_use: 'conditional',
    monthly_active_users_threshold: 700_000_000,
    outputs_may_train_other_models: false,
    acceptable_use_policy_url: 'https://ai.meta.com/llama/use-policy/',
    gated: true,
    conditions: [
      'Licensees whose products exceeded 700 million monthly active users on the release date must request a licence from Meta.',
      'Outputs may not be used to improve any other large language model except Llama 2 and its derivatives.',
    ],
  },
  'LicenseRef-llama-3': llamaThree('3', false, 'https://llama.meta.com/llama3/license/'),
  'LicenseRef-llama-3.1': llamaThree('3.1', true, 'https://llama.meta.com/llama3_1/license/'),
  'LicenseRef-llama-3.2': llamaThree('3.2', true, 'https://llama.meta.com/llama3_2/license/'),
  'LicenseRef-llama-3.3': llamaThree('3.3', true, 'https://llama.meta.com/llama3_3/license/'),
  'LicenseRef-tongyi-qianwen': {
    name: 'Tongyi Qianwen License Agreement',
    url: 'https://github.com/QwenLM/Qwen/blob/main/Tongyi%20Qianwen%20LICENSE%20AGREEMENT',
    commercial_use: 'conditional',
    monthly_active_users_threshold: 100_000_000,
    outputs_may_train_other_models: false,
    conditions: [
      'Licensees whose products exceed 100 million monthly active users must request a licence from Alibaba Cloud.',
      'Outputs may not be used to improve any other large language model except Tongyi Qianwen and its derivatives.',
    ],
  },
  'LicenseRef-gemma': {
    name: 'Gemma Terms of Use',
    url: 'https://ai.google.dev/gemma/terms',
    commercial_use: 'yes',
    outputs_may_train_other_models: true,
    acceptable_use_policy_url: 'https://ai.google.dev/gemma/prohibited_use_policy',
    gated: true,
    conditions: ['Use must follow the Gemma Prohibited Use Policy, and redistributions must pass these restrictions on.'],
  },
  'LicenseRef-OpenRAIL-M': {
    name: 'Open RAIL-M',
    url: 'https://www.licenses.ai/blog/2022/8/26/bigscience-open-rail-m-license',
    commercial_use: 'yes',
    outputs_may_train_other_models: true,
    conditions: ['Use is subject to the use-based restrictions of the licence, which derivatives must carry on.'],
  },
  'LicenseRef-deepseek-model': {
    name: 'DeepSeek License Agreement',
    url: 'https://github.com/deepseek-ai/DeepSeek-LLM/blob/main/LICENSE-MODEL',
    commercial_use: 'yes',
    outputs_may_train_other_models: true,
    conditions: ['Use is subject to the use-based restrictions of the licence, which derivatives must carry on.'],
  },
  'LicenseRef-baichuan-2': {
    name: 'Baichuan 2 Model Community License',
    url: 'https://huggingface.co/baichuan-inc/Baichuan2-13B-Chat/blob/main/Community%20License%20for%20Baichuan2%20Model.pdf',
    commercial_use: 'conditional',
    outputs_may_train_other_models: true,
    conditions: ['Commercial use needs written authorisation from Baichuan, granted to licensees under 1 million daily active users that are not software or cloud service providers.'],
  },
  'LicenseRef-chatglm': {
    name: 'ChatGLM Model License',
    url: 'https://github.com/THUDM/ChatGLM3/blob/main/MODEL_LICENSE',
    commercial_use: 'conditional',
    outputs_may_train_other_models: true,
    conditions: ['Weights are free for academic research; commercial use is free after registration with Zhipu AI.'],
  },
  'LicenseRef-baai-aquila': {
    name: 'BAAI Aquila Model License Agreement',
    url: 'https://huggingface.co/BAAI/Aquila-7B/blob/main/BAAI%20Aquila%20Model%20License%20Agreement.pdf',
    commercial_use: 'conditional',
    outputs_may_train_other_models: true,
    conditions: ['Commercial use is subject to the terms of the BAAI Aquila model licence agreement.'],
  },
  'LicenseRef-unspecified': {
    name: 'Licence not recorded',
    commercial_use: 'conditional',
    outputs_may_train_other_models: false,
    conditions: ['The source of this card does not record the licence; read the vendor\'s terms before use.'],
  },
  'LicenseRef-proprietary-api': {
    name: 'Proprietary API terms of service',
    commercial_use: 'yes',
    outputs_may_train_other_models: false,
    conditions: ['The model is only reachable through the vendor API under its terms; outputs may not be used to develop competing models.'],
  },
};

const registry: ReadonlyMap<string, LicenseTerms> = new Map(Object.entries(registryInput).map(([id, terms]) => [id, licenseTermsSchema.parse(terms)]));

export function knownLicenseIds(): string[] {
  return [...registry.keys()];
}

export function lookupLicense(id: string): LicenseTerms | undefined {
  return registry.get(id);
}
