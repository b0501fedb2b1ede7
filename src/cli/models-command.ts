// `modelmart models search|show|compare|export|import`: the catalogue from the command line,
// reading and writing the database directly, with --json for scripts.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { CatalogService, huggingFaceImportSchema, importHuggingFaceCard, modelCardCreateSchema, type PresentedModel } from '../catalog/index.js';
import { invalidRequest } from '../core/index.js';
import { zodErrorToModelmartError } from '../api/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';

type JsonOption = DatabaseOptions & { readonly json?: boolean };

async function withCatalog<Result>(options: DatabaseOptions, work: (catalog: CatalogService) => Promise<Result>): Promise<Result> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const catalog = new CatalogService(database);
    await catalog.seedCuratedCards();
    return await work(catalog);
  } finally {
    await database.close();
  }
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

function money(model: PresentedModel): string {
  if (model.price === null) return '';
  return `${model.price.currency} ${model.price.input_per_million_tokens / 1e6}/${model.price.output_per_million_tokens / 1e6}`;
}

function summaryRow(model: PresentedModel): string[] {
  return [model.id, model.vendor, model.mof_class ?? '-', model.open_weights ? 'yes' : 'no', model.license.id, String(model.capability.context_window ?? ''), money(model)];
}
const summaryHeader = ['ID', 'VENDOR', 'MOF', 'OPEN WEIGHTS', 'LICENSE', 'CONTEXT', 'PRICE IN/OUT PER 1M'];

/** `--where open_weights=true --where sort=benchmark:gsm8k` → the store's query parameters. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function createModelsCommand(): Command {
  const models = new Command('models').description('search, show, compare, export and import model cards');

  addDatabaseOptions(models.command('search').description('search the catalogue').argument('[words...]', 'full-text query'))
    .option('-w, --where <name=value>', 'a store filter, for example open_weights=true or min_score=gsm8k:60 (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(async (words: string[], options: JsonOption & { where: string[] }) => {
      const query: Record<string, string | string[]> = {};
      if (words.length > 0) query.q = words.join(' ');
      for (const pair of options.where) {
        const separator = pair.indexOf('=');
        if (separator <= 0) throw invalidRequest(`--where takes name=value, got '${pair}'.`, 'where');
        const name = pair.slice(0, separator);
        const value = pair.slice(separator + 1);
        const existing = query[name];
        query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
      }
      if (query.limit === undefined) query.limit = '100';
      const page = await withCatalog(options, (catalog) => catalog.search(query));
      process.stdout.write(options.json === true ? `${JSON.stringify(page)}\n` : page.data.length === 0 ? 'no models\n' : table(summaryHeader, page.data.map(summaryRow)));
    });

  addDatabaseOptions(models.command('show').description('show one card with its price history').argument('<id>'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption) => {
      const card = await withCatalog(options, (catalog) => catalog.get(id));
      process.stdout.write(options.json === true ? `${JSON.stringify(card)}\n` : `${card.name} (${card.id}), ${card.vendor}, released ${card.release_date}\n${card.description}\n\n${table(summaryHeader, [summaryRow(card)])}`);
    });

  addDatabaseOptions(models.command('compare').description('compare models side by side').argument('<ids...>'))
    .option('--json', 'print JSON')
    .action(async (ids: string[], options: JsonOption) => {
      const comparison = await withCatalog(options, (catalog) => catalog.compare(ids));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(comparison)}\n`);
        return;
      }
      const rows = comparison.benchmarks.map((row) => [row.benchmark, ...ids.map((id) => (row.scores[id] === null || row.scores[id] === undefined ? '–' : String(row.scores[id].score)))]);
      process.stdout.write(table(['BENCHMARK', ...ids], rows));
    });

  addDatabaseOptions(models.command('export').description('print a card as JSON or Hugging Face model-card YAML').argument('<id>'))
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'huggingface']).default('json'))
    .action(async (id: string, options: DatabaseOptions & { format: 'json' | 'huggingface' }) => {
      const text = await withCatalog(options, async (catalog) => (options.format === 'json' ? `${JSON.stringify(await catalog.exportJson(id), null, 2)}\n` : catalog.exportHuggingFace(id)));
      process.stdout.write(text);
    });

  addDatabaseOptions(models.command('import').description('create a card from a JSON card or a Hugging Face model card file').argument('<file>'))
    .addOption(new Option('--format <format>', 'what the file is').choices(['json', 'huggingface']).default('json'))
    .option('--id <id>', 'for huggingface: the card id')
    .option('--vendor <vendor>', 'for huggingface: the vendor')
    .option('--release-date <date>', 'for huggingface: YYYY-MM-DD')
    .option('--context-window <tokens>', 'for huggingface: the context window')
    .option('--json', 'print JSON')
    .action(async (file: string, options: JsonOption & { format: 'json' | 'huggingface'; id?: string; vendor?: string; releaseDate?: string; contextWindow?: string }) => {
      const content = readFileSync(file, 'utf8');
      let card;
      if (options.format === 'json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(content);
        } catch {
          throw invalidRequest(`${file} is not JSON.`, 'file', 'invalid_import');
        }
        const result = modelCardCreateSchema.safeParse(parsed);
        if (!result.success) throw zodErrorToModelmartError(result.error);
        card = result.data;
      } else {
        const request = huggingFaceImportSchema.safeParse({
          format: 'huggingface',
          content,
          id: options.id,
          vendor: options.vendor,
          release_date: options.releaseDate,
          capability: { context_window: options.contextWindow === undefined ? null : Number(options.contextWindow), input_modalities: ['text'], output_modalities: ['text'] },
        });
        if (!request.success) throw zodErrorToModelmartError(request.error);
        card = importHuggingFaceCard(request.data);
      }
      const created = await withCatalog(options, (catalog) => catalog.create(card));
      process.stdout.write(options.json === true ? `${JSON.stringify(created)}\n` : `created ${created.id}\n`);
    });

  return models;
}
