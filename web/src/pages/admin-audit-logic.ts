// The audit log page's logic: a readable diff of an entry's before and after (one row per
// changed leaf, named by its path), and the filters as the API's query parameters.
import type { QueryValue } from '../api/api-client';

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffRow {
  /** `price.currency`, `targets[1].weight`; empty for a whole value that is not an object. */
  readonly path: string;
  readonly kind: DiffKind;
  /** JSON text of the value; undefined where the side has none. */
  readonly before: string | undefined;
  readonly after: string | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Every leaf (a value that is not a non-empty object or array) with its path. */
export function flattenJson(value: unknown, path = '', into: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flattenJson(child, childPath(path, key), into);
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((child, index) => flattenJson(child, childPath(path, index), into));
  } else {
    into.set(path, value);
  }
  return into;
}

/** The changed leaves between two JSON values, in the order they appear (before's first, then new ones). */
export function jsonDiff(before: unknown, after: unknown): DiffRow[] {
  const beforeLeaves = before === null || before === undefined ? new Map<string, unknown>() : flattenJson(before);
  const afterLeaves = after === null || after === undefined ? new Map<string, unknown>() : flattenJson(after);
  const rows: DiffRow[] = [];
  for (const [path, value] of beforeLeaves) {
    if (!afterLeaves.has(path)) rows.push({ path, kind: 'removed', before: JSON.stringify(value), after: undefined });
    else {
      const next = JSON.stringify(afterLeaves.get(path));
      if (next !== JSON.stringify(value)) rows.push({ path, kind: 'changed', before: JSON.stringify(value), after: next });
    }
  }
  for (const [path, value] of afterLeaves) if (!beforeLeaves.has(path)) rows.push({ path, kind: 'added', before: undefined, after: JSON.stringify(value) });
  return rows;
}

export interface AuditFilters {
  readonly actor: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  /** Calendar dates (YYYY-MM-DD) from the date inputs; `to` includes its whole day. */
  readonly from: string;
  readonly to: string;
}

export const emptyAuditFilters: AuditFilters = { actor: '', action: '', targetType: '', targetId: '', from: '', to: '' };

/** The day after a calendar date, because the API's `to` is exclusive and a reader means "up to and including". */
export function nextDay(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  parsed.setUTCDate(parsed.getUTCDate() + 1);
  return parsed.toISOString().slice(0, 10);
}

export function auditQuery(filters: AuditFilters, cursor: string | null, limit: number): Record<string, QueryValue> {
  return {
    actor: filters.actor.trim(),
    action: filters.action.trim(),
    target_type: filters.targetType.trim(),
    target_id: filters.targetId.trim(),
    from: filters.from,
    to: filters.to === '' ? '' : nextDay(filters.to),
    cursor,
    limit,
  };
}
