// The Model Openness Framework (LF AI & Data): the seventeen components of a model release
// and the class they earn. The class is always computed here from what is public and under
// which licence, never typed into a card, so it cannot drift from the components.
import { z } from 'zod';

export const opennessComponentSchema = z.enum([
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
]);
export type OpennessComponent = z.infer<typeof opennessComponentSchema>;

export const componentReleaseSchema = z
  .object({
    public: z.boolean(),
    /** SPDX id or LicenseRef-… of the licence this component is released under. */
    license: z.string().min(1).optional(),
    url: z.string().url().optional(),
  })
  .strict();
export type ComponentRelease = z.infer<typeof componentReleaseSchema>;

// Components not listed are unknown, which the class computation treats as not released.
export const opennessSchema = z.partialRecord(opennessComponentSchema, componentReleaseSchema);
export type Openness = z.infer<typeof opennessSchema>;

export const mofClassSchema = z.enum(['I', 'II', 'III']);
export type MofClass = z.infer<typeof mofClassSchema>;

/** Code must carry an OSI-approved licence; the MOF names these as the usual ones. */
const openCodeLicenses = new Set(['Apache-2.0', 'MIT', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'MPL-2.0', 'GPL-2.0-only', 'GPL-3.0-only', 'GPL-3.0-or-later', 'LGPL-3.0-only', 'AGPL-3.0-only', 'EPL-2.0']);
/** Data, documents and parameters need an open data or open content licence (or a permissive code licence). */
const openContentLicenses = new Set([
  'Apache-2.0',
  'MIT',
  'BSD-3-Clause',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDLA-Permissive-1.0',
  'CDLA-Permissive-2.0',
  'CDLA-Sharing-1.0',
  'ODC-By-1.0',
  'ODbL-1.0',
  'PDDL-1.0',
]);

const codeComponents = new Set<OpennessComponent>([
  'architecture',
  'training_code',
  'inference_code',
  'evaluation_code',
  'supporting_libraries',
  'data_preprocessing_code',
]);

/**
 * Required components per class, cumulative (Class II includes Class III's, Class I Class II's).
 * Sample outputs (III) and model metadata (I) are optional in the framework and do not gate a class.
 */
const classThreeComponents: readonly OpennessComponent[] = ['architecture', 'final_parameters', 'technical_report', 'evaluation_results', 'model_card', 'data_card'];
const classTwoComponents: readonly OpennessComponent[] = ['training_code', 'inference_code', 'evaluation_code', 'evaluation_data', 'supporting_libraries'];
const classOneComponents: readonly OpennessComponent[] = ['research_paper', 'datasets', 'data_preprocessing_code', 'intermediate_parameters'];

export const mofRequirements: Readonly<Record<MofClass, readonly OpennessComponent[]>> = {
  III: classThreeComponents,
  II: [...classThreeComponents, ...classTwoComponents],
  I: [...classThreeComponents, ...classTwoComponents, ...classOneComponents],
};

export function isOpenLicenseFor(component: OpennessComponent, license: string | undefined): boolean {
  if (license === undefined) return false;
  return codeComponents.has(component) ? openCodeLicenses.has(license) : openContentLicenses.has(license);
}

function isOpenlyReleased(openness: Openness, component: OpennessComponent): boolean {
  const release = openness[component];
  return release !== undefined && release.public && isOpenLicenseFor(component, release.license);
}

/** A component is met when released openly; an open research paper also stands in for the technical report. */
function isMet(openness: Openness, component: OpennessComponent): boolean {
  if (component === 'technical_report') return isOpenlyReleased(openness, 'technical_report') || isOpenlyReleased(openness, 'research_paper');
  return isOpenlyReleased(openness, component);
}

/** The highest class whose every required component is public under an open licence; null when none. */
export function computeMofClass(openness: Openness): MofClass | null {
  for (const mofClass of ['I', 'II', 'III'] as const) {
    if (mofRequirements[mofClass].every((component) => isMet(openness, component))) return mofClass;
  }
  return null;
}

/** What is missing for a class: the components not public under an open licence. */
export function missingForClass(openness: Openness, mofClass: MofClass): OpennessComponent[] {
  return mofRequirements[mofClass].filter((component) => !isMet(openness, component));
}

/** Open weights: the final parameters can be downloaded, whatever their licence. */
export function hasOpenWeights(openness: Openness): boolean {
  return openness.final_parameters?.public === true;
}
