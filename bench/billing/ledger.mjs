// Metering benchmark: reserve + settle throughput through BillingService, with many requests in
// flight as a busy gateway has them. SQLite with in-process counters; with a PostgreSQL URL and a
// Redis URL, also PostgreSQL with Redis counters (the replica setup). Reports requests a second
// and CPU microseconds per request (reserve + settle, group commit included).
//   npx tsc -p tsconfig.build.json --outDir /tmp/mm-dist-billing
//   node bench/billing/ledger.mjs --dist /tmp/mm-dist-billing [--requests 20000] [--in-flight 256]
//        [--database-url postgres://…] [--redis-url redis://…]
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: options } = parseArgs({
  strict: false,
  options: { dist: { type: 'string', default: 'dist' }, requests: { type: 'string', default: '20000' }, 'in-flight': { type: 'string', default: '256' }, 'database-url': { type: 'string' }, 'redis-url': { type: 'string' } },
});
const dist = path.resolve(String(options.dist));
const requests = Number.parseInt(String(options.requests), 10);
const inFlight = Number.parseInt(String(options['in-flight']), 10);
const postgresUrl = options['database-url'] ?? process.env.MODELMART_TEST_DATABASE_URL;
const redisUrl = options['redis-url'] ?? process.env.MODELMART_TEST_REDIS_URL;
// A build outside the repository cannot find the packages: point it at the repository's.
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(path.join(dist, 'node_modules')) && !dist.startsWith(projectRoot + path.sep)) symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dist, 'node_modules'), 'dir');
const load = async (folder) => import(pathToFileURL(path.join(dist, folder, 'index.js')).href);
const { BillingService } = await load('billing');
const { CatalogService, modelCardCreateSchema } = await load('catalog');
const { openDatabase } = await load('storage');
const { configSchema } = await load('config');

async function scratchPostgres(baseUrl) {
  const name = `modelmart_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

async function run(label, databaseUrl, counterUrl) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'modelmart-bench-billing-'));
  const database = await openDatabase({ dataDir: folder, databaseUrl, poolSize: 8 });
  await database.migrateToLatest();
  const catalog = new CatalogService(database);
  await catalog.create(
    modelCardCreateSchema.parse({
      id: 'bench-mini', name: 'Bench mini', vendor: 'Example Labs', release_date: '2024-01-02', description: 'Priced model for the metering benchmark.',
      capability: { context_window: 8_000, input_modalities: ['text'], output_modalities: ['text'] }, openness: {}, license: { id: 'MIT' },
      deployments: [{ kind: 'public-cloud-api', provider: 'openai', model: 'gpt-bench', route: 'chat-bench' }],
      prices: [{ effective_from: '2024-01-01', currency: 'USD', input_per_million_tokens: 150_000, output_per_million_tokens: 600_000 }],
    }),
  );
  const organisations = ['org_a', 'org_b', 'org_c', 'org_d'];
  for (const organisation of organisations) {
    await database.kysely.insertInto('budgets').values({ id: `bud_${organisation}`, organisation_id: organisation, scope_type: 'organisation', scope_id: organisation, period: 'month', currency: 'USD', hard_limit: 1e15, soft_limit: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
  }
  const billing = await BillingService.open({ database, catalog, config: configSchema.parse({}).billing, redisUrl: counterUrl, serverId: 'bench' });
  let next = 0;
  const one = async () => {
    const index = next++;
    const organisation = organisations[index % organisations.length];
    const reservation = await billing.reserve({
      requestId: `bench-${label}-${index}`, organisationId: organisation, projectId: `${organisation}-p`, keyId: `${organisation}-k${index % 16}`, userId: null,
      publicModel: 'chat-bench', pricedModels: ['openai/gpt-bench', 'chat-bench'], promptTokens: 500, maxOutputTokens: 1_000,
    });
    await billing.settle(reservation, { providerId: 'openai', upstreamModel: 'gpt-bench', promptTokens: 500, completionTokens: 200 + (index % 300), cachedTokens: 0, reasoningTokens: 0, estimated: false, latencyMs: 5, status: 'ok' });
  };
  const worker = async () => {
    while (next < requests) await one();
  };
  // Warm-up: caches, prepared statements, Redis scripts.
  const warm = requests;
  await Promise.all(Array.from({ length: 32 }, async () => { for (let i = 0; i < 20; i += 1) await one(); }));
  next = 0;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, worker));
  await billing.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const rows = await database.kysely.selectFrom('usage_ledger').select((expression) => expression.fn.countAll().as('count')).executeTakeFirst();
  await billing.close();
  await database.close();
  rmSync(folder, { recursive: true, force: true });
  void warm;
  return { label, requests, inFlight, seconds: Number(seconds.toFixed(3)), requestsPerSecond: Math.round(requests / seconds), cpuMicrosecondsPerRequest: Math.round((cpu.user + cpu.system) / requests), ledgerRows: Number(rows.count) };
}

const results = [await run('sqlite-memory-counters')];
if (postgresUrl !== undefined && postgresUrl !== '') {
  const scratch = await scratchPostgres(postgresUrl);
  try {
    results.push(await run('postgres-memory-counters', scratch.url, undefined));
  } finally {
    await scratch.drop();
  }
  if (redisUrl !== undefined && redisUrl !== '') {
    const second = await scratchPostgres(postgresUrl);
    try {
      results.push(await run('postgres-redis-counters', second.url, redisUrl));
    } finally {
      await second.drop();
    }
  }
}
for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
