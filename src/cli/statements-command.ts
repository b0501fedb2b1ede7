// `modelmart statements <organisation> <YYYY-MM> [--csv|--json]`: one organisation's monthly
// statement (opening balance, credits, usage by model and project, earnings, closing balance).
import { Command } from 'commander';
import { StatementService } from '../billing/index.js';
import { addDatabaseOptions, type DatabaseOptions } from './cli-options.js';
import { withBillingAdministration } from './credits-command.js';
import { formatTable } from './keys-command.js';

export function createStatementsCommand(): Command {
  return addDatabaseOptions(
    new Command('statements').description("an organisation's monthly statement").argument('<organisation>', 'the organisation id').argument('<month>', 'YYYY-MM (UTC)'),
  )
    .option('--csv', 'print CSV')
    .option('--json', 'print JSON')
    .action(async (organisationId: string, month: string, options: DatabaseOptions & { csv?: boolean; json?: boolean }) => {
      const statement = await withBillingAdministration(options, ({ statements }) => statements.statement(organisationId, month));
      if (options.csv === true) return void process.stdout.write(StatementService.toCsv(statement));
      if (options.json === true) return void process.stdout.write(`${JSON.stringify(statement)}\n`);
      const usage = statement.usage_by_model.map((line) => [line.name, String(line.requests), String(line.cost), line.currency]);
      process.stdout.write(
        [
          `Statement ${statement.organisation_id} ${statement.month} (${statement.currency}, micro-units)`,
          `opening balance  ${statement.opening_balance}`,
          `credits          ${statement.credits_total}`,
          `usage            ${statement.usage_total}`,
          `earnings         ${statement.earnings.map((earning) => `${earning.amount} ${earning.currency}`).join(', ') || '0'}`,
          `closing balance  ${statement.closing_balance}`,
          '',
          formatTable(['MODEL', 'REQUESTS', 'COST', 'CURRENCY'], usage, 'no usage this month'),
        ].join('\n'),
      );
    });
}
