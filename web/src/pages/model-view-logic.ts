// Pure logic behind the model page: licence terms in plain words, the MOF components in
// order, price history as step series, and benchmarks paired published/measured.
import type { BenchmarkResult, ComponentRelease, Deployment, LicenseTerms, ModelCard, PriceVersion } from '../api/api-types';
import type { MessageKey, MessageParameters } from '../i18n/messages';

export const opennessComponents = [
  'architecture',
  'final_parameters',
  'evaluation_results',
  'model_card',
  'data_card',
  'technical_report',
  'training_code',
  'inference_code',
  'evaluation_code',
  'evaluation_data',
  'supporting_libraries',
  'datasets',
  'data_preprocessing_code',
  'intermediate_parameters',
  'research_paper',
  'sample_outputs',
  'model_metadata',
] as const;

export type OpennessState = 'public' | 'closed' | 'unknown';

export function opennessRows(openness: ModelCard['openness']): { readonly component: (typeof opennessComponents)[number]; readonly state: OpennessState; readonly release: ComponentRelease | undefined }[] {
  return opennessComponents.map((component) => {
    const release = openness[component];
    return { component, state: release === undefined ? 'unknown' : release.public ? 'public' : 'closed', release };
  });
}

export interface PlainSentence {
  readonly key: MessageKey;
  readonly parameters?: MessageParameters;
}

/** The licence's terms as short sentences, each a message key with its values. */
export function licenseInPlainWords(terms: LicenseTerms): PlainSentence[] {
  const sentences: PlainSentence[] = [{ key: `licence.plain.commercial.${terms.commercial_use}` }];
  if (terms.monthly_active_users_threshold !== null) sentences.push({ key: 'licence.plain.userThreshold', parameters: { users: terms.monthly_active_users_threshold } });
  if (terms.annual_revenue_threshold_usd !== null) sentences.push({ key: 'licence.plain.revenueThreshold', parameters: { revenue: terms.annual_revenue_threshold_usd } });
  sentences.push(terms.attribution === null ? { key: 'licence.plain.noAttribution' } : { key: 'licence.plain.attribution', parameters: { text: terms.attribution } });
  if (terms.derivative_naming !== null) sentences.push({ key: 'licence.plain.derivativeNaming', parameters: { text: terms.derivative_naming } });
  sentences.push({ key: terms.outputs_may_train_other_models ? 'licence.plain.outputsMayTrain' : 'licence.plain.outputsMayNotTrain' });
  if (terms.gated) sentences.push({ key: 'licence.plain.gated' });
  sentences.push({ key: terms.open_source ? 'licence.plain.openSource' : 'licence.plain.notOpenSource' });
  return sentences;
}

/**
 * The price history as steps: one label per version's effective date plus today, so the last
 * price is drawn up to now; a price cut shows as a drop at its date.
 */
export function priceSteps(history: readonly PriceVersion[], today: string): { labels: string[]; input: number[]; output: number[]; currency: PriceVersion['currency'] | null } {
  const versions = [...history].sort((left, right) => left.effective_from.localeCompare(right.effective_from));
  const first = versions[0];
  if (first === undefined) return { labels: [], input: [], output: [], currency: null };
  // A chart has one currency; versions in another are left to the table.
  const same = versions.filter((version) => version.currency === first.currency);
  const labels = same.map((version) => version.effective_from.slice(0, 10));
  const input = same.map((version) => version.input_per_million_tokens / 1_000_000);
  const output = same.map((version) => version.output_per_million_tokens / 1_000_000);
  const last = same[same.length - 1];
  if (last !== undefined && today > last.effective_from.slice(0, 10)) {
    labels.push(today);
    input.push(last.input_per_million_tokens / 1_000_000);
    output.push(last.output_per_million_tokens / 1_000_000);
  }
  return { labels, input, output, currency: first.currency };
}

/** Per benchmark, the best published and the best measured score. */
export function benchmarkPairs(results: readonly BenchmarkResult[]): { readonly benchmark: string; readonly published: BenchmarkResult | null; readonly measured: BenchmarkResult | null }[] {
  const pairs = new Map<string, { published: BenchmarkResult | null; measured: BenchmarkResult | null }>();
  for (const result of results) {
    const pair = pairs.get(result.benchmark) ?? { published: null, measured: null };
    const slot = result.source.kind;
    const current = pair[slot];
    if (current === null || result.score > current.score) pair[slot] = result;
    pairs.set(result.benchmark, pair);
  }
  return [...pairs.entries()].map(([benchmark, pair]) => ({ benchmark, ...pair }));
}

/** The gateway name to try a model under: a deployment's route, else `<provider>/<model>`, else the card id. */
export function playgroundModelName(card: Pick<ModelCard, 'id' | 'deployments'>): string {
  const routed = card.deployments.find((deployment: Deployment) => deployment.route !== undefined);
  if (routed?.route !== undefined) return routed.route;
  const provided = card.deployments.find((deployment) => deployment.provider !== undefined && deployment.model !== undefined);
  if (provided?.provider !== undefined && provided.model !== undefined) return `${provided.provider}/${provided.model}`;
  return card.id;
}
