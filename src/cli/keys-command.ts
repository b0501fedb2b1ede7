// `modelmart keys create|list|revoke`: manage API keys directly in the database, as the local
// operator (an installation administrator), in any organisation and project.
import { Command, Option } from 'commander';
import { ApiKeyService, AuditLog, localOperator, OrganisationService, type ApiKeyRecord, type AuditEntryInput, type CreateKeyInput } from '../accounts/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

export interface AccountServices {
  readonly apiKeys: ApiKeyService;
  readonly organisations: OrganisationService;
  /** Records a change made on the command line; the actor is the local operator. */
  audit(change: Omit<AuditEntryInput, 'actorKeyId'>): Promise<void>;
}

export async function withAccountServices<Result>(options: DatabaseOptions, work: (services: AccountServices) => Promise<Result>): Promise<Result> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const apiKeys = new ApiKeyService(database);
    await apiKeys.initialise();
    const auditLog = new AuditLog(database);
    const audit = async (change: Omit<AuditEntryInput, 'actorKeyId'>) => {
      await auditLog.record({ ...change, actorKeyId: localOperator.keyId });
    };
    return await work({ apiKeys, organisations: new OrganisationService(database, apiKeys), audit });
  } finally {
    await database.close();
  }
}

/** Columns padded to their widest cell, for listings printed without --json. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

export function parsePerMinute(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag}: expected a whole number above 0, got ${JSON.stringify(text)}`);
    return value;
  };
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** --expires takes an ISO-8601 time or a span from now: 30d, 12h, 45m. */
export function parseExpiry(text: string, now: Date = new Date()): string {
  const span = /^(\d+)([dhm])$/.exec(text.trim());
  if (span !== null) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[span[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() + Number(span[1]) * unit).toISOString();
  }
  if (Number.isNaN(Date.parse(text))) throw new Error(`--expires: expected an ISO-8601 time (2027-01-31T00:00:00Z) or a span like 30d, 12h or 45m, got ${JSON.stringify(text)}`);
  return text;
}

function formatKeys(keys: readonly ApiKeyRecord[]): string {
  const rows = keys.map((key) => [key.id, key.name, key.role, key.organisation_id, key.project_id, key.display_hint, key.expires_at ?? '', key.created_at, key.revoked_at ?? '']);
  return formatTable(['ID', 'NAME', 'ROLE', 'ORGANISATION', 'PROJECT', 'KEY', 'EXPIRES', 'CREATED', 'REVOKED'], rows, 'no keys');
}

interface CreateKeyOptions extends DatabaseOptions {
  readonly name: string;
  readonly role: 'user' | 'admin';
  readonly org?: string;
  readonly project?: string;
  readonly user?: string;
  readonly allowModel?: string[];
  readonly denyModel?: string[];
  readonly allowGpt?: string[];
  readonly ip?: string[];
  readonly expires?: string;
  readonly rpm?: number;
  readonly tpm?: number;
  readonly json?: boolean;
}

function createKeyInput(options: CreateKeyOptions): CreateKeyInput {
  const scoped = options.allowModel !== undefined || options.denyModel !== undefined || options.allowGpt !== undefined || options.ip !== undefined;
  return {
    name: options.name,
    role: options.role,
    ...(options.org === undefined ? {} : { organisation_id: options.org }),
    ...(options.project === undefined ? {} : { project_id: options.project }),
    ...(options.user === undefined ? {} : { user_id: options.user }),
    ...(scoped
      ? { scopes: { allowed_models: options.allowModel ?? null, denied_models: options.denyModel ?? [], allowed_gpts: options.allowGpt ?? null, ip_allow_list: options.ip ?? null } }
      : {}),
    ...(options.expires === undefined ? {} : { expires_at: parseExpiry(options.expires) }),
    ...(options.rpm === undefined ? {} : { requests_per_minute: options.rpm }),
    ...(options.tpm === undefined ? {} : { tokens_per_minute: options.tpm }),
  };
}

export function createKeysCommand(): Command {
  const keys = new Command('keys').description('create, list and revoke API keys');

  addDatabaseOptions(keys.command('create').description('create an API key; it is printed once'))
    .requiredOption('-n, --name <name>', 'a name that says who or what uses the key')
    .addOption(new Option('-r, --role <role>', 'admin keys administer the whole installation').choices(['user', 'admin']).default('user'))
    .option('--org <id>', 'the organisation the key belongs to (default: org_default)')
    .option('--project <id>', "the project the key belongs to (default: the organisation's first project)")
    .option('--user <id>', 'the user the key acts for; it gets that user’s organisation role')
    .option('--allow-model <glob>', 'a model the key may use, like qwen-* (repeatable; default: all)', collect)
    .option('--deny-model <glob>', 'a model the key may not use; wins over --allow-model (repeatable)', collect)
    .option('--allow-gpt <glob>', 'a GPT the key may use (repeatable; default: all)', collect)
    .option('--ip <cidr>', 'an address or CIDR block the key may be used from (repeatable; default: every address)', collect)
    .option('--expires <when>', 'when the key stops working: an ISO-8601 time or a span like 30d')
    .option('--rpm <n>', 'requests per minute for this key', parsePerMinute('--rpm'))
    .option('--tpm <n>', 'tokens per minute for this key', parsePerMinute('--tpm'))
    .option('--json', 'print JSON')
    .action(async (options: CreateKeyOptions) => {
      const created = await withAccountServices(options, async ({ apiKeys, audit }) => {
        const made = await apiKeys.createKey(createKeyInput(options));
        await audit({ action: 'key.create', targetType: 'api_key', targetId: made.record.id, after: made.record, organisationId: made.record.organisation_id });
        return made;
      });
      if (options.json === true) process.stdout.write(`${JSON.stringify({ ...created.record, key: created.key })}\n`);
      else process.stdout.write(`${created.key}\n(id ${created.record.id}; this key is shown only once)\n`);
    });

  addDatabaseOptions(keys.command('list').description('list API keys (never the keys themselves)'))
    .option('-a, --all', 'include revoked keys')
    .option('--org <id>', 'only keys of this organisation')
    .option('--project <id>', 'only keys of this project')
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { all?: boolean; org?: string; project?: string; json?: boolean }) => {
      const list = await withAccountServices(options, ({ apiKeys }) =>
        apiKeys.listKeys({
          includeRevoked: options.all === true,
          ...(options.org === undefined ? {} : { organisationId: options.org }),
          ...(options.project === undefined ? {} : { projectId: options.project }),
        }),
      );
      process.stdout.write(options.json === true ? `${JSON.stringify(list)}\n` : formatKeys(list));
    });

  addDatabaseOptions(keys.command('revoke').description('revoke an API key at once').argument('<id>', 'the key id (key_…)'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: DatabaseOptions & { json?: boolean }) => {
      const revoked = await withAccountServices(options, async ({ apiKeys, audit }) => {
        const record = await apiKeys.revokeKey(id);
        await audit({ action: 'key.revoke', targetType: 'api_key', targetId: record.id, after: record, organisationId: record.organisation_id });
        return record;
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(revoked)}\n` : `revoked ${revoked.id} (${revoked.name})\n`);
    });

  return keys;
}
