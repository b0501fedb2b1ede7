// Small builders shared by the curated cards, so each card states only its facts.
import type { ModelCardCreateInput } from '../model-card-schema.js';
import type { Openness, OpennessComponent } from '../model-openness.js';

/** What a closed model publishes: documents readable on the web, nothing under an open licence. */
export function closedOpenness(published: Partial<Record<OpennessComponent, string>>): Openness {
  const openness: Openness = {};
  for (const component of ['architecture', 'final_parameters', 'training_code', 'inference_code', 'datasets', 'data_card'] as const) openness[component] = { public: false };
  for (const [component, url] of Object.entries(published) as [OpennessComponent, string][]) openness[component] = { public: true, url };
  return openness;
}

/** A released component with its licence and where to find it. */
export function released(license: string, url: string): { public: true; license: string; url: string } {
  return { public: true, license, url };
}

export const textOnly = { input_modalities: ['text'], output_modalities: ['text'] } satisfies Partial<ModelCardCreateInput['capability']>;

/** Dollars (or yuan) per million tokens as integer micro-units. */
export function perMillion(amount: number): number {
  return Math.round(amount * 1_000_000);
}
