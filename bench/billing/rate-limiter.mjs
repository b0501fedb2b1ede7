// Rate-limiter micro benchmark: admits per second of the in-process and the Redis limiter, with the
// checks a request carries (key, project, organisation, model; requests and tokens), spread over
// many keys, plus the fast path of checks without limits. Runs against the built dist/.
//   node bench/billing/rate-limiter.mjs [--dist dist] [--operations 200000] [--keys 10000]
//     [--redis-url redis://127.0.0.1:6379/15] [--concurrency 64]
// The Redis part runs when a URL is given (or REDIS_URL / MODELMART_TEST_REDIS_URL is set); its keys
// use a fresh prefix and are deleted at the end.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({
  strict: false,
  options: {
    dist: { type: 'string', default: path.join(projectRoot, 'dist') },
    operations: { type: 'string', default: '200000' },
    keys: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    'redis-url': { type: 'string' },
  },
});
const operations = Number.parseInt(String(options.operations), 10);
const keyCount = Number.parseInt(String(options.keys), 10);
const concurrency = Number.parseInt(String(options.concurrency), 10);
const redisUrl = options['redis-url'] || process.env.REDIS_URL || process.env.MODELMART_TEST_REDIS_URL || undefined;
const entry = path.join(path.resolve(String(options.dist)), 'billing', 'rate-limits', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write(`rate-limiter benchmark: ${entry} not found; build first (npm run build, or --dist <outDir>)\n`);
  process.exit(1);
}
const { createRateLimiter } = await import(pathToFileURL(entry).href);

// Limits high enough that nearly every admit is allowed and takes from every bucket (the common case).
const keyChecks = Array.from({ length: keyCount }, (_, index) => [
  { scope: `key:key_${index}`, limit: { requestsPerMinute: 1_000_000, tokensPerMinute: 100_000_000 } },
  { scope: `project:proj_${index % 500}`, limit: { requestsPerMinute: 10_000_000 } },
  { scope: `organisation:org_${index % 50}`, limit: { requestsPerMinute: 100_000_000, tokensPerMinute: 10_000_000_000 } },
  { scope: `model:model-${index % 20}`, limit: { tokensPerMinute: 100_000_000_000 } },
]);
const unlimitedChecks = [{ scope: 'key:free', limit: {} }, { scope: 'model:free', limit: {} }];

/** Runs `count` operations with `parallel` in flight; returns operations per second. */
async function measure(count, parallel, operation) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await operation(index);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const rows = [];
async function run(name, count, parallel, operation) {
  await measure(Math.min(count, 2000), parallel, operation);
  const perSecond = await measure(count, parallel, operation);
  rows.push({ name, operations: count, concurrency: parallel, perSecond: Math.round(perSecond) });
  process.stdout.write(`${name.padEnd(48)} ${String(Math.round(perSecond)).padStart(10)} ops/s  (${count} ops, ${parallel} in flight)\n`);
}

const memory = createRateLimiter({});
await run('memory: admit, 4 checks (6 buckets)', operations, 1, (index) => memory.admit(keyChecks[index % keyCount], 200));
await run('memory: admit + adjustTokens', operations, 1, async (index) => {
  const checks = keyChecks[index % keyCount];
  await memory.admit(checks, 200);
  await memory.adjustTokens(checks, -50);
});
await run('memory: admit, checks without limits', operations, 1, () => memory.admit(unlimitedChecks, 200));
await memory.close();

if (redisUrl === undefined) {
  process.stdout.write('redis: skipped (pass --redis-url or set REDIS_URL)\n');
} else {
  const keyPrefix = `modelmart-bench:${randomUUID()}:`;
  const redis = createRateLimiter({ redisUrl, keyPrefix });
  const redisOperations = Math.min(operations, 50_000);
  await run('redis: admit, 4 checks, sequential', Math.min(redisOperations, 10_000), 1, (index) => redis.admit(keyChecks[index % keyCount], 200));
  await run(`redis: admit, 4 checks`, redisOperations, concurrency, (index) => redis.admit(keyChecks[index % keyCount], 200));
  await run(`redis: admit + adjustTokens`, redisOperations, concurrency, async (index) => {
    const checks = keyChecks[index % keyCount];
    await redis.admit(checks, 200);
    await redis.adjustTokens(checks, -50);
  });
  if (redis.failOpenCount > 0) process.stdout.write(`redis: ${redis.failOpenCount} operations failed open (Redis unreachable?)\n`);
  await redis.close();
  const { Redis } = await import('ioredis');
  const cleaner = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [nextCursor, keys] = await cleaner.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length > 0) await cleaner.del(...keys);
  } while (cursor !== '0');
  await cleaner.quit();
}
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(rows)}\n`);
