// Turns zod issues into one line each: `providers[1].baseUrl: expected a URL, got "localhost:11434"`.
import type { z } from 'zod';
import { formatPropertyPath } from '../core/index.js';

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : formatPropertyPath(path);
}

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return JSON.stringify(input);
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

function describeIssue(issue: z.core.$ZodIssue, knownKeys: readonly string[]): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeInput(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(' | ')}, got ${describeInput(issue.input)}`;
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => {
          const suggestion = closest(key, knownKeys);
          return `unknown key ${JSON.stringify(key)}${suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`}`;
        })
        .join('; ');
    case 'too_small':
      return `${issue.message}, got ${describeInput(issue.input)}`;
    case 'too_big':
      return `${issue.message}, got ${describeInput(issue.input)}`;
    default:
      return issue.message;
  }
}

/** Known keys per config section, for "did you mean" hints on typos. */
const knownKeysBySection: Record<string, readonly string[]> = {
  '': ['server', 'storage', 'redis', 'auth', 'logging', 'providers', 'routes'],
  server: ['host', 'port', 'bodyLimit', 'shutdownTimeoutMs', 'trustProxy'],
  storage: ['dataDir', 'databaseUrl'],
  redis: ['url'],
  auth: ['adminKey'],
  logging: ['level'],
  providers: ['id', 'type', 'preset', 'baseUrl', 'apiKey', 'apiVersion', 'headers', 'models', 'threads', 'maxConcurrentSequences', 'timeoutMs'],
  routes: ['model', 'strategy', 'canaryPercent', 'targets'],
};

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const section = issue.path.find((segment): segment is string => typeof segment === 'string') ?? '';
    const sectionKeys = issue.path.length === 0 ? knownKeysBySection[''] : knownKeysBySection[section];
    return `${formatIssuePath(issue.path)}: ${describeIssue(issue, sectionKeys ?? [])}`;
  });
}
