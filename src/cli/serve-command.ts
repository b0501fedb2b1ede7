// `modelmart serve`: start the server and stop it gracefully on SIGTERM or SIGINT.
import { Command } from 'commander';
import { addDatabaseOptions, loadConfigFromOptions, parsePortOption, type DatabaseOptions } from './cli-options.js';

interface ServeOptions extends DatabaseOptions {
  readonly port?: number;
  readonly host?: string;
}

export function createServeCommand(): Command {
  const command = new Command('serve').description('start the Modelmart server');
  addDatabaseOptions(command)
    .option('-p, --port <port>', 'port to listen on (default: 8080)', parsePortOption)
    .option('-H, --host <host>', 'address to listen on (default: 0.0.0.0)')
    .action(async (options: ServeOptions) => {
      const config = loadConfigFromOptions(options);
      // Loaded here, not at the top: other commands should not pay for loading the whole server.
      const { startModelmart } = await import('../main.js');
      const running = await startModelmart({ config });
      process.stderr.write(`Modelmart is listening on ${running.url} (database: ${running.database.location})\n`);
      await new Promise<void>((resolve) => {
        let signalled = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (signalled) {
            process.stderr.write(`modelmart: ${signal} again; exiting now\n`);
            process.exit(1);
          }
          signalled = true;
          process.stderr.write(`modelmart: ${signal} received; finishing in-flight requests (up to ${config.server.shutdownTimeoutMs} ms)\n`);
          running.stop().then(resolve, (error: unknown) => {
            process.stderr.write(`modelmart: error while stopping: ${(error as Error).message}\n`);
            resolve();
          });
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
    });
  return command;
}
