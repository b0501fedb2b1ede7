// Catalogue search benchmark: 10,000 cards, a search with three filters and a sort by a
// benchmark score, p95 over repeated searches on SQLite and (with a URL) on PostgreSQL.
// Measured at the catalogue service, as the store route calls it. Writes bench/results/catalog.{json,md}.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({ strict: false, options: { cards: { type: 'string', default: '10000' }, searches: { type: 'string', default: '300' }, 'database-url': { type: 'string' } } });
const cardCount = Number.parseInt(String(options.cards), 10);
const searches = Number.parseInt(String(options.searches), 10);
const postgresUrl = options['database-url'] ?? process.env.MODELMART_TEST_DATABASE_URL;
const dist = path.join(projectRoot, 'dist');
if (!existsSync(path.join(dist, 'catalog', 'index.js'))) {
  process.stderr.write('catalog benchmark: build first (npm run build)\n');
  process.exit(1);
}
const { CatalogService, modelCardBodySchema } = await import(pathToFileURL(path.join(dist, 'catalog', 'index.js')).href);
const { openDatabase } = await import(pathToFileURL(path.join(dist, 'storage', 'index.js')).href);

const licenses = ['Apache-2.0', 'MIT', 'LicenseRef-llama-2', 'LicenseRef-tongyi-qianwen', 'CC-BY-NC-4.0', 'LicenseRef-proprietary-api'];
const contexts = [4096, 8192, 32768, 128000];
function syntheticCard(index) {
  const open = index % 3 !== 0;
  return {
    body: modelCardBodySchema.parse({
      id: `bench-${index}`,
      name: `Bench model ${index}`,
      vendor: `Vendor ${index % 50}`,
      release_date: `202${index % 5}-0${(index % 9) + 1}-15`,
      description: `Synthetic card ${index} for the search benchmark.`,
      capability: { context_window: contexts[index % contexts.length], input_modalities: ['text'], output_modalities: ['text'] },
      openness: { final_parameters: { public: open, ...(open ? { license: 'Apache-2.0' } : {}) } },
      license: { id: licenses[index % licenses.length] },
      market: { industries: [['finance', 'energy', 'software', 'legal'][index % 4]], scenarios: ['coding'] },
      benchmarks: [{ benchmark: 'gsm8k', score: (index * 7919) % 1000 / 10, source: { kind: 'measured', evaluation_run_id: `run-${index}` } }],
    }),
    price: { currency: 'USD', input_per_million_tokens: (index % 40) * 250_000, output_per_million_tokens: (index % 40) * 750_000, cached_input_per_million_tokens: null, per_request: 0, free_tier: null, source: null },
  };
}

const query = { open_weights: 'true', commercial_use: 'yes', min_context: '32000', sort: 'benchmark:gsm8k', limit: '20' };

async function measure(name, database) {
  const catalog = new CatalogService(database);
  const cards = Array.from({ length: cardCount }, (_unused, index) => syntheticCard(index));
  const loadStarted = performance.now();
  await catalog.importCards(cards);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const first = performance.now();
  const page = await catalog.search(query);
  const coldMilliseconds = performance.now() - first;
  const samples = [];
  for (let round = 0; round < searches; round += 1) {
    const started = performance.now();
    await catalog.search(query);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (fraction) => samples[Math.min(samples.length - 1, Math.floor(fraction * samples.length))];
  return { database: name, cards: cardCount, searches, matched_first_page: page.data.length, load_seconds: Number(loadSeconds.toFixed(1)), cold_ms: Number(coldMilliseconds.toFixed(1)), p50_ms: Number(at(0.5).toFixed(2)), p95_ms: Number(at(0.95).toFixed(2)), p99_ms: Number(at(0.99).toFixed(2)), target_p95_ms: 10, pass: at(0.95) < 10 };
}

const results = [];
const folder = mkdtempSync(path.join(os.tmpdir(), 'modelmart-bench-catalog-'));
try {
  const sqlite = await openDatabase({ dataDir: folder });
  await sqlite.migrateToLatest();
  results.push(await measure('sqlite', sqlite));
  await sqlite.close();
  if (postgresUrl !== undefined && postgresUrl !== '') {
    const name = `modelmart_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      const postgres = await openDatabase({ dataDir: folder, databaseUrl: url.toString() });
      await postgres.migrateToLatest();
      results.push(await measure('postgres', postgres));
      await postgres.close();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    process.stdout.write('catalog benchmark: PostgreSQL skipped (pass --database-url or set MODELMART_TEST_DATABASE_URL)\n');
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const resultsFolder = path.join(projectRoot, 'bench', 'results');
const date = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(resultsFolder, 'catalog.json'), `${JSON.stringify({ date, node: process.version, cores: os.cpus().length, query, results }, null, 2)}\n`);
const rows = results.map((result) => `| ${result.database} | ${result.cards.toLocaleString('en')} | ${result.cold_ms} ms | ${result.p50_ms} ms | ${result.p95_ms} ms | ${result.p99_ms} ms | < 10 ms | ${result.pass ? 'PASS' : 'FAIL'} |`);
writeFileSync(
  path.join(resultsFolder, 'catalog.md'),
  [
    '# Catalogue search benchmark',
    '',
    `\`node bench/catalog/run.mjs\` on ${date}: ${os.cpus().length} cores, Node ${process.version}.`,
    `Search \`${new URLSearchParams(query).toString()}\` (three filters and a sort by a benchmark score) over synthetic cards, ${searches} searches after the first, measured at the catalogue service. The first search after a change reads every card (cold); later ones reuse the cached cards while the catalogue's version (one primary-key read of a setting that every write replaces) is unchanged.`,
    '',
    '| database | cards | cold | p50 | p95 | p99 | target p95 | verdict |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
  ].join('\n'),
);
for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
if (results.some((result) => !result.pass)) process.exitCode = 1;
