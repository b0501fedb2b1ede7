// Prints the JavaScript a browser downloads on first load (the entry script and the chunks
// index.html preloads), gzipped, and each lazily loaded chunk; exits 1 over the budget.
// Run after `npm run build`: node web/bundle-size.mjs [--json]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetBytes = 300 * 1024;
const distDirectory = join(import.meta.dirname, 'dist');

export function measureBundle(directory = distDirectory) {
  const html = readFileSync(join(directory, 'index.html'), 'utf8');
  const firstLoad = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const gzipped = (path) => gzipSync(readFileSync(join(directory, path)), { level: 9 }).length;
  const chunks = readdirSync(join(directory, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `assets/${name}`)
    .map((path) => ({ path, gzipBytes: gzipped(path), firstLoad: firstLoad.includes(path) }));
  const firstLoadBytes = chunks.filter((chunk) => chunk.firstLoad).reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
  return { firstLoadBytes, budgetBytes, withinBudget: firstLoadBytes <= budgetBytes, chunks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = measureBundle();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const chunk of result.chunks.sort((left, right) => right.gzipBytes - left.gzipBytes)) {
      console.log(`${(chunk.gzipBytes / 1024).toFixed(1).padStart(7)} KB gzip  ${chunk.firstLoad ? 'first load' : 'on demand '}  ${chunk.path}`);
    }
    console.log(`first load: ${(result.firstLoadBytes / 1024).toFixed(1)} KB of JavaScript gzipped (budget ${result.budgetBytes / 1024} KB)`);
  }
  process.exitCode = result.withinBudget ? 0 : 1;
}
