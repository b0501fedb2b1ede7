// `modelmart credentials set|rotate`: store a provider's API key encrypted at rest, and
// re-encrypt every stored key after a change of security.encryptionKey. A running server picks
// the change up through the database. The key never comes from a command-line argument, where
// shell history and process lists would keep it: only from an environment variable or stdin.
import { Command } from 'commander';
import { AuditLog, CredentialVault } from '../accounts/index.js';
import { invalidRequest } from '../core/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

/** Who the audit log names for changes made on the command line (the server's local operator). */
const localOperatorId = 'local-operator';

async function withVault<Result>(options: DatabaseOptions, work: (vault: CredentialVault, auditLog: AuditLog) => Promise<Result>): Promise<Result> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const vault = new CredentialVault({ database, security: config.security, providers: config.providers });
    return await work(vault, new AuditLog(database));
  } finally {
    await database.close();
  }
}

async function readStandardInput(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of process.stdin) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
  // A trailing newline (echo, a here-string) is not part of the key.
  return Buffer.concat(parts).toString('utf8').replace(/\r?\n$/, '');
}

async function secretFrom(options: { fromEnv?: string; stdin?: boolean }): Promise<string> {
  if ((options.fromEnv === undefined) === (options.stdin !== true)) throw invalidRequest('Give exactly one of --from-env <VARIABLE> or --stdin.');
  if (options.stdin === true) return readStandardInput();
  const name = options.fromEnv ?? '';
  const value = process.env[name];
  if (value === undefined || value === '') throw invalidRequest(`The environment variable ${name} is not set or empty.`);
  return value;
}

export function createCredentialsCommand(): Command {
  const credentials = new Command('credentials').description('store provider API keys encrypted at rest (needs MODELMART_ENCRYPTION_KEY)');

  addDatabaseOptions(credentials.command('set').description("store a provider's API key; it overrides the one in modelmart.yaml").argument('<provider>', 'the provider id from modelmart.yaml'))
    .option('--from-env <variable>', 'read the key from this environment variable')
    .option('--stdin', 'read the key from standard input')
    .option('--json', 'print JSON')
    .action(async (provider: string, options: DatabaseOptions & { fromEnv?: string; stdin?: boolean; json?: boolean }) => {
      const secret = await secretFrom(options);
      const status = await withVault(options, async (vault, auditLog) => {
        const before = await vault.status(provider);
        const after = await vault.set(provider, secret, localOperatorId);
        await auditLog.record({
          actorKeyId: localOperatorId,
          action: before.configured ? 'provider.credential.update' : 'provider.credential.create',
          targetType: 'provider_credential',
          targetId: provider,
          before: before.configured ? before : null,
          after,
        });
        return after;
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(status)}\n` : `stored the credential of ${provider} (encryption key ${status.key_id})\n`);
    });

  addDatabaseOptions(credentials.command('rotate').description('re-encrypt every stored credential with the current encryption key'))
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { json?: boolean }) => {
      const result = await withVault(options, async (vault, auditLog) => {
        const rotation = await vault.rotate();
        await auditLog.record({ actorKeyId: localOperatorId, action: 'provider.credential.rotate', targetType: 'provider_credential', targetId: '*', after: rotation });
        return rotation;
      });
      process.stdout.write(
        options.json === true
          ? `${JSON.stringify({ rotated: result.rotated, already_current: result.alreadyCurrent, key_id: result.keyId })}\n`
          : `re-encrypted ${result.rotated} credential(s) with key ${result.keyId}; ${result.alreadyCurrent} already used it. Previous keys may now be removed.\n`,
      );
    });

  return credentials;
}
