// The `modelmart` command line. Failures end with a non-zero exit and a one-line reason.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { ModelmartError } from '../core/index.js';
import { createCatalogCommand } from './catalog-command.js';
import { createCredentialsCommand } from './credentials-command.js';
import { createCreditsCommand } from './credits-command.js';
import { createEvalCommand } from './eval-command.js';
import { createGptsCommand } from './gpts-command.js';
import { createKeysCommand } from './keys-command.js';
import { createMigrateCommand } from './migrate-command.js';
import { createModelsCommand } from './models-command.js';
import { createOrgsCommand } from './orgs-command.js';
import { createProjectsCommand } from './projects-command.js';
import { createServeCommand } from './serve-command.js';
import { createStatementsCommand } from './statements-command.js';
import { createUsageCommand } from './usage-command.js';
import { createUsersCommand } from './users-command.js';

export function createProgram(): Command {
  const program = new Command('modelmart')
    .description('Modelmart: a self-hosted model store with one OpenAI-compatible API')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(createServeCommand());
  program.addCommand(createMigrateCommand());
  program.addCommand(createKeysCommand());
  program.addCommand(createOrgsCommand());
  program.addCommand(createProjectsCommand());
  program.addCommand(createUsersCommand());
  program.addCommand(createEvalCommand());
  program.addCommand(createCatalogCommand());
  program.addCommand(createModelsCommand());
  program.addCommand(createCredentialsCommand());
  program.addCommand(createCreditsCommand());
  program.addCommand(createUsageCommand());
  program.addCommand(createStatementsCommand());
  program.addCommand(createGptsCommand());
  for (const command of program.commands) {
    command.exitOverride();
    for (const subcommand of command.commands) subcommand.exitOverride();
  }
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      process.stderr.write(`modelmart: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof ModelmartError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`modelmart: ${message}\n`);
    return 1;
  }
}
