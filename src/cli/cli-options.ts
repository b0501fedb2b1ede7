// Options shared by every command that touches the database: where the config and data are.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/index.js';

export interface DatabaseOptions {
  readonly config?: string;
  readonly data?: string;
  readonly databaseUrl?: string;
}

export function addDatabaseOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file (default: ./modelmart.yaml when present)')
    .option('-d, --data <folder>', 'data folder for the SQLite database (default: ./data)')
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite (or set DATABASE_URL)');
}

export function parsePortOption(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a number from 0 to 65535, got ${JSON.stringify(text)}`);
  return port;
}

export function loadConfigFromOptions(options: DatabaseOptions & { readonly port?: number; readonly host?: string }): Config {
  return loadConfig({
    configPath: options.config,
    overrides: { dataDir: options.data, databaseUrl: options.databaseUrl, port: options.port, host: options.host },
  });
}
