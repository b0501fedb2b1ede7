// `modelmart migrate`: apply pending database migrations (the server also does this at start).
import { Command } from 'commander';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

export function createMigrateCommand(): Command {
  const command = new Command('migrate').description('apply pending database migrations');
  addDatabaseOptions(command).action(async (options: DatabaseOptions) => {
    const config = loadConfigFromOptions(options);
    const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
    try {
      const applied = await database.migrateToLatest();
      process.stdout.write(
        applied.length === 0 ? `${database.location}: migrations already current\n` : `${database.location}: applied ${applied.join(', ')}\n`,
      );
    } finally {
      await database.close();
    }
  });
  return command;
}
