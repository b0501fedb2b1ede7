// `modelmart credits top-up|balance|history|redeem` and `credits codes create`: money on an
// organisation's account, read and written directly in the database as the local operator.
// Amounts are integer micro-units (1 USD = 1,000,000), as everywhere in Modelmart.
import { Command, Option } from 'commander';
import { ApiKeyService, localOperator, OrganisationService } from '../accounts/index.js';
import { createBillingAdministration, organisationExistsVia, type BillingAdministration } from '../billing/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';
import { formatTable, parseExpiry } from './keys-command.js';

type JsonOption = DatabaseOptions & { readonly json?: boolean };

export async function withBillingAdministration<Result>(options: DatabaseOptions, work: (services: BillingAdministration) => Promise<Result>): Promise<Result> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const apiKeys = new ApiKeyService(database);
    await apiKeys.initialise();
    const organisations = new OrganisationService(database, apiKeys);
    const organisationExists = organisationExistsVia((id) => organisations.getOrganisation(id, localOperator));
    return await work(createBillingAdministration({ database, config: config.billing, hashCode: (code) => apiKeys.hashWithInstallationSecret(code), organisationExists }));
  } finally {
    await database.close();
  }
}

/** Whole micro-units; anything else is passed on as is so the service names the problem. */
export function parseMicroUnits(text: string): number {
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

const currencyOption = () => new Option('--currency <code>', 'USD or CNY').choices(['USD', 'CNY']).default('USD');

function print(options: JsonOption, value: unknown, text: string): void {
  process.stdout.write(options.json === true ? `${JSON.stringify(value)}\n` : text);
}

export function createCreditsCommand(): Command {
  const credits = new Command('credits').description("top up, read and redeem credit on an organisation's account");

  addDatabaseOptions(credits.command('top-up').description('add credit to an organisation (platform funding → customer account)').argument('<organisation>', 'the organisation id (org_…)'))
    .requiredOption('--amount <micro-units>', 'integer micro-units: 1 USD = 1000000', parseMicroUnits)
    .addOption(currencyOption())
    .option('--memo <text>', 'why, for the history')
    .option('--json', 'print JSON')
    .action(async (organisationId: string, options: JsonOption & { amount: number; currency: 'USD' | 'CNY'; memo?: string }) => {
      const result = await withBillingAdministration(options, ({ credits: service }) => service.topUp({ organisationId, amount: options.amount, currency: options.currency, memo: options.memo ?? null, createdBy: 'cli' }));
      print(options, result, `credited ${result.credited_amount} ${result.account_currency} micro-units to ${organisationId}; balance ${result.balance} (transaction ${result.transaction_id})\n`);
    });

  addDatabaseOptions(credits.command('balance').description("an organisation's balance, mode and credit limit").argument('<organisation>', 'the organisation id'))
    .option('--json', 'print JSON')
    .action(async (organisationId: string, options: JsonOption) => {
      const balance = await withBillingAdministration(options, ({ credits: service }) => service.balance(organisationId));
      const available = balance.available === null ? 'unlimited' : String(balance.available);
      print(options, balance, `${organisationId}: balance ${balance.balance} ${balance.currency} micro-units, mode ${balance.mode}, credit limit ${balance.credit_limit}, available ${available}\n`);
    });

  addDatabaseOptions(credits.command('history').description("an organisation's postings, newest first").argument('<organisation>', 'the organisation id'))
    .option('--limit <n>', 'entries per page (1-200)', Number, 50)
    .option('--after <cursor>', 'the next_cursor of the previous page')
    .option('--json', 'print JSON')
    .action(async (organisationId: string, options: JsonOption & { limit: number; after?: string }) => {
      const page = await withBillingAdministration(options, ({ credits: service }) => service.transactions(organisationId, { limit: options.limit, ...(options.after === undefined ? {} : { after: options.after }) }));
      const rows = page.data.map((entry) => [entry.created_at, entry.kind, entry.account_kind, String(entry.amount), entry.currency, entry.memo ?? entry.request_id ?? '']);
      const more = page.next_cursor === null ? '' : `more: --after ${page.next_cursor}\n`;
      print(options, page, formatTable(['TIME', 'KIND', 'ACCOUNT', 'AMOUNT', 'CURRENCY', 'MEMO'], rows, 'no transactions') + more);
    });

  addDatabaseOptions(credits.command('redeem').description('redeem a code for an organisation').argument('<organisation>', 'the organisation id').argument('<code>', 'MMR-XXXX-XXXX-XXXX-XXXX'))
    .option('--json', 'print JSON')
    .action(async (organisationId: string, code: string, options: JsonOption) => {
      const result = await withBillingAdministration(options, ({ redemptions }) => redemptions.redeem({ organisationId, code, redeemedBy: 'cli' }));
      print(options, result, `credited ${result.credited_amount} ${result.account_currency} micro-units to ${organisationId}; balance ${result.balance}\n`);
    });

  const codes = credits.command('codes').description('redemption codes');
  addDatabaseOptions(codes.command('create').description('create a batch of one-time codes; they are printed once'))
    .requiredOption('--count <n>', 'how many codes (1-1000)', Number)
    .requiredOption('--amount <micro-units>', 'what each code is worth, in integer micro-units', parseMicroUnits)
    .addOption(currencyOption())
    .option('--expires <when>', 'an ISO-8601 time or a span like 30d')
    .option('--json', 'print JSON')
    .action(async (options: JsonOption & { count: number; amount: number; currency: 'USD' | 'CNY'; expires?: string }) => {
      const batch = await withBillingAdministration(options, ({ redemptions }) =>
        redemptions.createCodes({ count: options.count, amount: options.amount, currency: options.currency, expiresAt: options.expires === undefined ? null : parseExpiry(options.expires), createdBy: 'cli' }),
      );
      print(options, batch, `${batch.codes.join('\n')}\n(batch ${batch.batch_id}: ${batch.codes.length} codes of ${batch.amount} ${batch.currency} micro-units; shown only once)\n`);
    });
  return credits;
}
