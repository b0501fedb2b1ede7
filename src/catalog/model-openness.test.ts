import { describe, expect, it } from 'vitest';
import { computeMofClass, hasOpenWeights, missingForClass, mofRequirements, type Openness } from './model-openness.js';

function openlyReleased(components: readonly string[]): Openness {
  const openness: Record<string, { public: boolean; license: string }> = {};
  for (const component of components) {
    const code = ['architecture', 'training_code', 'inference_code', 'evaluation_code', 'supporting_libraries', 'data_preprocessing_code'].includes(component);
    openness[component] = { public: true, license: code ? 'Apache-2.0' : 'CC-BY-4.0' };
  }
  return openness as Openness;
}

describe('Model Openness Framework class', () => {
  it('gives Class III, II and I exactly when their cumulative components are open', () => {
    expect(computeMofClass(openlyReleased(mofRequirements.III))).toBe('III');
    expect(computeMofClass(openlyReleased(mofRequirements.II))).toBe('II');
    expect(computeMofClass(openlyReleased(mofRequirements.I))).toBe('I');
  });

  it('gives no class when one Class III component is missing, and says which', () => {
    const withoutDataCard = openlyReleased(mofRequirements.III.filter((component) => component !== 'data_card'));
    expect(computeMofClass(withoutDataCard)).toBeNull();
    expect(missingForClass(withoutDataCard, 'III')).toEqual(['data_card']);
  });

  it('needs an open licence: weights under a community licence earn no class but are open weights', () => {
    const openness = openlyReleased(mofRequirements.III);
    openness.final_parameters = { public: true, license: 'LicenseRef-llama-2' };
    expect(computeMofClass(openness)).toBeNull();
    expect(hasOpenWeights(openness)).toBe(true);
  });

  it('accepts an open research paper in place of the technical report', () => {
    const components = mofRequirements.III.filter((component) => component !== 'technical_report');
    expect(computeMofClass(openlyReleased([...components, 'research_paper']))).toBe('III');
  });

  it('needs an OSI licence for code: architecture under CC-BY does not count', () => {
    const openness = openlyReleased(mofRequirements.III);
    openness.architecture = { public: true, license: 'CC-BY-4.0' };
    expect(computeMofClass(openness)).toBeNull();
  });

  it('treats a closed model as having no class and no open weights', () => {
    expect(computeMofClass({ final_parameters: { public: false } })).toBeNull();
    expect(hasOpenWeights({})).toBe(false);
  });
});
