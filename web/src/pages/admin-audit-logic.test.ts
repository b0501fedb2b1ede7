import { describe, expect, it } from 'vitest';
import { auditQuery, emptyAuditFilters, flattenJson, jsonDiff, nextDay } from './admin-audit-logic';

describe('audit entry diff', () => {
  it('names each changed leaf by its path', () => {
    const before = { model: 'bot', strategy: 'fallback', targets: [{ provider: 'a', model: 'x' }], source: 'admin' };
    const after = { model: 'bot', strategy: 'weighted', targets: [{ provider: 'a', model: 'x', weight: 3 }, { provider: 'b', model: 'y', weight: 1 }] };
    expect(jsonDiff(before, after)).toEqual([
      { path: 'strategy', kind: 'changed', before: '"fallback"', after: '"weighted"' },
      { path: 'source', kind: 'removed', before: '"admin"', after: undefined },
      { path: 'targets[0].weight', kind: 'added', before: undefined, after: '3' },
      { path: 'targets[1].provider', kind: 'added', before: undefined, after: '"b"' },
      { path: 'targets[1].model', kind: 'added', before: undefined, after: '"y"' },
      { path: 'targets[1].weight', kind: 'added', before: undefined, after: '1' },
    ]);
  });

  it('shows a creation as all added, a deletion as all removed, and no rows for equal values', () => {
    expect(jsonDiff(null, { hidden: true })).toEqual([{ path: 'hidden', kind: 'added', before: undefined, after: 'true' }]);
    expect(jsonDiff({ hidden: true }, null)).toEqual([{ path: 'hidden', kind: 'removed', before: 'true', after: undefined }]);
    expect(jsonDiff({ a: [1, 2], b: {} }, { a: [1, 2], b: {} })).toEqual([]);
    expect(jsonDiff('x', 'y')).toEqual([{ path: '', kind: 'changed', before: '"x"', after: '"y"' }]);
  });

  it('keeps empty objects and arrays as leaves', () => {
    expect([...flattenJson({ a: {}, b: [], c: { d: null } }).entries()]).toEqual([
      ['a', {}],
      ['b', []],
      ['c.d', null],
    ]);
  });
});

describe('audit filters', () => {
  it('sends filled filters only, with the last day included', () => {
    expect(auditQuery({ ...emptyAuditFilters, action: ' route.* ', from: '2026-11-01', to: '2026-11-30' }, 'cursor-1', 20)).toEqual({ actor: '', action: 'route.*', target_type: '', target_id: '', from: '2026-11-01', to: '2026-12-01', cursor: 'cursor-1', limit: 20 });
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('not a date')).toBe('not a date');
  });
});
