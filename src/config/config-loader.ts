// Reads modelmart.yaml, resolves ${ENV} references, lays environment variables and command
// flags over it, and validates the result once into a Config. Every problem is reported
// with the key path that caused it, so a wrong config stops the start with a clear reason.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './config-schema.js';
import { formatIssuePath, formatIssues } from './config-errors.js';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[], readonly source: string) {
    super(`invalid configuration (${source}):\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigOverrides {
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly dataDir?: string | undefined;
  readonly databaseUrl?: string | undefined;
}

export interface LoadConfigOptions {
  /** Path given with --config; when absent MODELMART_CONFIG, then ./modelmart.yaml if it exists. */
  readonly configPath?: string | undefined;
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly overrides?: ConfigOverrides;
  readonly workingDirectory?: string;
}

const referencePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const wholeReferencePattern = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;
/** Keys whose values are secrets: the file may only name an environment variable for them. */
const secretKeys = new Set(['apiKey', 'adminKey', 'secret', 'password', 'encryptionKey', 'previousEncryptionKeys']);

type PathSegment = string | number;

function resolveReferences(
  value: unknown,
  path: PathSegment[],
  environment: Readonly<Record<string, string | undefined>>,
  problems: string[],
): unknown {
  if (typeof value === 'string') {
    // An item of a list of secrets (previousEncryptionKeys[0]) is named by the list.
    const key = typeof path[path.length - 1] === 'number' ? path[path.length - 2] : path[path.length - 1];
    if (typeof key === 'string' && secretKeys.has(key) && !wholeReferencePattern.test(value.trim())) {
      problems.push(`${formatIssuePath(path)}: write secrets as an environment reference such as \${MY_API_KEY}, not in the file`);
      return value;
    }
    return value.replace(referencePattern, (_match, name: string, fallback: string | undefined) => {
      const found = environment[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`${formatIssuePath(path)}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveReferences(item, [...path, index], environment, problems));
  }
  if (value !== null && typeof value === 'object') {
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      resolved[key] = resolveReferences(item, [...path, key], environment, problems);
    }
    return resolved;
  }
  return value;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([`cannot read ${path}: ${reason}`], path);
  }
  try {
    const parsed: unknown = parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(['the top level must be a mapping of keys (server, storage, providers, routes, …)'], path);
    }
    return parsed;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0] ?? error.message : String(error);
    throw new ConfigError([`not valid YAML: ${message}`], path);
  }
}

function setIn(target: Record<string, unknown>, section: string, key: string, value: unknown): void {
  if (value === undefined || value === '') return;
  const existing = target[section];
  const sectionObject = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {};
  target[section] = { ...sectionObject, [key]: value };
}

function parsePort(text: string | undefined, source: string, problems: string[]): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`${source}: expected a port number from 0 to 65535, got ${JSON.stringify(text)}`);
    return undefined;
  }
  return port;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const environment = options.environment ?? process.env;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  let configPath = options.configPath ?? environment.MODELMART_CONFIG;
  if (configPath === undefined || configPath === '') {
    const defaultPath = `${workingDirectory}/modelmart.yaml`;
    configPath = existsSync(defaultPath) ? defaultPath : undefined;
  }
  const source = configPath ?? 'defaults and environment';
  const problems: string[] = [];

  const fileContent = configPath === undefined ? {} : readConfigFile(configPath);
  const resolved = resolveReferences(fileContent, [], environment, problems) as Record<string, unknown>;

  setIn(resolved, 'server', 'host', environment.MODELMART_HOST);
  setIn(resolved, 'server', 'port', parsePort(environment.MODELMART_PORT ?? environment.PORT, 'MODELMART_PORT', problems));
  setIn(resolved, 'storage', 'dataDir', environment.MODELMART_DATA);
  setIn(resolved, 'storage', 'databaseUrl', environment.DATABASE_URL);
  setIn(resolved, 'redis', 'url', environment.REDIS_URL);
  setIn(resolved, 'auth', 'adminKey', environment.MODELMART_ADMIN_KEY);
  setIn(resolved, 'security', 'encryptionKey', environment.MODELMART_ENCRYPTION_KEY);
  // Comma-separated, for a rotation: the old key stays readable until `modelmart credentials rotate` ran.
  const previousEncryptionKeys = (environment.MODELMART_PREVIOUS_ENCRYPTION_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
  setIn(resolved, 'security', 'previousEncryptionKeys', previousEncryptionKeys.length > 0 ? previousEncryptionKeys : undefined);
  setIn(resolved, 'logging', 'level', environment.MODELMART_LOG_LEVEL);

  const overrides = options.overrides ?? {};
  setIn(resolved, 'server', 'host', overrides.host);
  setIn(resolved, 'server', 'port', overrides.port);
  setIn(resolved, 'storage', 'dataDir', overrides.dataDir);
  setIn(resolved, 'storage', 'databaseUrl', overrides.databaseUrl);

  if (problems.length > 0) throw new ConfigError(problems, source);
  const result = configSchema.safeParse(resolved, { reportInput: true });
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues as readonly z.core.$ZodIssue[]), source);
  return result.data;
}
