// `modelmart usage --from --to [--group-by model,project,key,day,provider] [--csv|--json]`: the
// usage ledger summed, read directly from the database.
import { Command } from 'commander';
import { UsageReportService } from '../billing/index.js';
import { addDatabaseOptions, type DatabaseOptions } from './cli-options.js';
import { withBillingAdministration } from './credits-command.js';
import { formatTable } from './keys-command.js';

interface UsageOptions extends DatabaseOptions {
  readonly from: string;
  readonly to: string;
  readonly groupBy?: string;
  readonly org?: string;
  readonly csv?: boolean;
  readonly json?: boolean;
}

export function createUsageCommand(): Command {
  return addDatabaseOptions(new Command('usage').description('requests, tokens and cost from the usage ledger'))
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD) or an ISO-8601 time')
    .requiredOption('--to <date>', 'last day, included (YYYY-MM-DD), or an ISO-8601 time, excluded')
    .option('--group-by <groups>', 'comma-separated: model, project, key, day, provider')
    .option('--org <id>', 'only this organisation')
    .option('--csv', 'print CSV')
    .option('--json', 'print JSON')
    .action(async (options: UsageOptions) => {
      const report = await withBillingAdministration(options, ({ usageReports }) =>
        usageReports.usage({ from: options.from, to: options.to, groupBy: options.groupBy === undefined ? [] : options.groupBy.split(','), ...(options.org === undefined ? {} : { organisationId: options.org }) }),
      );
      if (options.csv === true) return void process.stdout.write(UsageReportService.toCsv(report));
      if (options.json === true) return void process.stdout.write(`${JSON.stringify(report)}\n`);
      const groups = report.group_by.map((group) => ({ model: 'model', project: 'project_id', key: 'key_id', day: 'day', provider: 'provider' } as const)[group]);
      const rows = report.data.map((row) => [...groups.map((column) => row[column] ?? ''), String(row.requests), String(row.prompt_tokens), String(row.completion_tokens), String(row.cost), row.currency]);
      process.stdout.write(formatTable([...groups.map((column) => column.toUpperCase()), 'REQUESTS', 'PROMPT', 'COMPLETION', 'COST', 'CURRENCY'], rows, 'no usage in this range'));
    });
}
