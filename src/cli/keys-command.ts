// `modelmart keys create|list|revoke`: manage API keys directly in the database.
import { Command, Option } from 'commander';
import { ApiKeyService, type ApiKeyRecord } from '../accounts/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

async function withKeyService<Result>(options: DatabaseOptions, work: (service: ApiKeyService) => Promise<Result>): Promise<Result> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const service = new ApiKeyService(database);
    await service.initialise();
    return await work(service);
  } finally {
    await database.close();
  }
}

function formatTable(keys: readonly ApiKeyRecord[]): string {
  if (keys.length === 0) return 'no keys\n';
  const rows = keys.map((key) => [key.id, key.name, key.role, key.display_hint, key.created_at, key.revoked_at ?? '']);
  const header = ['ID', 'NAME', 'ROLE', 'KEY', 'CREATED', 'REVOKED'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

export function createKeysCommand(): Command {
  const keys = new Command('keys').description('create, list and revoke API keys');

  addDatabaseOptions(keys.command('create').description('create an API key; it is printed once'))
    .requiredOption('-n, --name <name>', 'a name that says who or what uses the key')
    .addOption(new Option('-r, --role <role>', 'admin keys may call /admin/v1').choices(['user', 'admin']).default('user'))
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { name: string; role: 'user' | 'admin'; json?: boolean }) => {
      const created = await withKeyService(options, (service) => service.createKey({ name: options.name, role: options.role }));
      if (options.json === true) process.stdout.write(`${JSON.stringify({ ...created.record, key: created.key })}\n`);
      else process.stdout.write(`${created.key}\n(id ${created.record.id}; this key is shown only once)\n`);
    });

  addDatabaseOptions(keys.command('list').description('list API keys (never the keys themselves)'))
    .option('-a, --all', 'include revoked keys')
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { all?: boolean; json?: boolean }) => {
      const list = await withKeyService(options, (service) => service.listKeys({ includeRevoked: options.all === true }));
      process.stdout.write(options.json === true ? `${JSON.stringify(list)}\n` : formatTable(list));
    });

  addDatabaseOptions(keys.command('revoke').description('revoke an API key at once').argument('<id>', 'the key id (key_…)'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: DatabaseOptions & { json?: boolean }) => {
      const revoked = await withKeyService(options, (service) => service.revokeKey(id));
      process.stdout.write(options.json === true ? `${JSON.stringify(revoked)}\n` : `revoked ${revoked.id} (${revoked.name})\n`);
    });

  return keys;
}
