import { describe, expect, it } from 'vitest';
import type { OrganisationProfile } from '../config/index.js';
import { evaluateLicense } from './license-policy.js';
import { lookupLicense, type LicenseTerms } from './license-registry.js';

function terms(id: string): LicenseTerms {
  const found = lookupLicense(id);
  if (found === undefined) throw new Error(id);
  return found;
}
const commercial = (monthlyActiveUsers: OrganisationProfile['monthlyActiveUsers']): OrganisationProfile => ({ use: 'commercial', monthlyActiveUsers });

describe('licence policy', () => {
  it('applies the Llama 2 clause at 700 million monthly active users', () => {
    expect(evaluateLicense('LicenseRef-llama-2', terms('LicenseRef-llama-2'), commercial('up-to-700m'))).toEqual({ outcome: 'allowed', attribution: null });
    const denied = evaluateLicense('LicenseRef-llama-2', terms('LicenseRef-llama-2'), commercial('over-700m'));
    expect(denied.outcome).toBe('denied');
    expect(denied.outcome === 'denied' ? denied.clause : '').toContain('700 million monthly active users');
  });

  it("applies Qwen's clause at 100 million", () => {
    expect(evaluateLicense('LicenseRef-tongyi-qianwen', terms('LicenseRef-tongyi-qianwen'), commercial('up-to-100m')).outcome).toBe('allowed');
    const denied = evaluateLicense('LicenseRef-tongyi-qianwen', terms('LicenseRef-tongyi-qianwen'), commercial('up-to-700m'));
    expect(denied.outcome === 'denied' ? denied.clause : '').toContain('100 million');
  });

  it('refuses commercial use of a non-commercial licence and allows research use of it', () => {
    const denied = evaluateLicense('CC-BY-NC-4.0', terms('CC-BY-NC-4.0'), commercial('up-to-1m'));
    expect(denied.outcome === 'denied' ? denied.clause : '').toContain('does not permit commercial use');
    expect(evaluateLicense('CC-BY-NC-4.0', terms('CC-BY-NC-4.0'), { use: 'research', monthlyActiveUsers: 'up-to-1m' }).outcome).toBe('allowed');
  });

  it('carries the required attribution when allowed', () => {
    expect(evaluateLicense('LicenseRef-llama-3.1', terms('LicenseRef-llama-3.1'), commercial('up-to-1m'))).toEqual({ outcome: 'allowed', attribution: 'Built with Llama' });
  });
});
