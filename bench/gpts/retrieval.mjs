// Knowledge retrieval benchmark: 100,000 chunks of one GPT in a temporary SQLite database (text
// assembled into sentences from a Zipf-distributed vocabulary with English function words, and
// random 384-dimension unit vectors when sqlite-vec loads), then 1,000 questions through the
// retriever: BM25 alone, vector search alone and the hybrid (both, fused by reciprocal rank),
// side by side. Reports p50/p95/p99 and PASS/FAIL against p95 < 20 ms for the hybrid, and writes
// bench/results/retrieval.md. The embedding of a question is a precomputed random vector, so
// the figures are the database's and the retriever's time, not an embeddings model's.
// `node bench/gpts/retrieval.mjs [--chunks 100000] [--queries 1000] [--words 120]`. Needs `npm run build`.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({ strict: false, options: { chunks: { type: 'string', default: '100000' }, queries: { type: 'string', default: '1000' }, words: { type: 'string', default: '120' } } });
const chunkCount = Number.parseInt(String(options.chunks), 10);
const queryCount = Number.parseInt(String(options.queries), 10);
const wordsPerChunk = Number.parseInt(String(options.words), 10);
const dimension = 384;
const targetMilliseconds = 20;
const dist = path.join(projectRoot, 'dist');
if (!existsSync(path.join(dist, 'gpts', 'knowledge', 'index.js'))) {
  process.stderr.write('retrieval benchmark: build first (npm run build)\n');
  process.exit(1);
}
const { KnowledgeIndex, KnowledgeRetrieval } = await import(pathToFileURL(path.join(dist, 'gpts', 'knowledge', 'index.js')).href);
const { openDatabase } = await import(pathToFileURL(path.join(dist, 'storage', 'index.js')).href);

// A seeded generator: the same corpus and questions on every run.
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seededRandom(20_261_128);

const syllables = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vor', 'el', 'ni', 'dra', 'po', 'qua', 'zen', 'fi', 'mar', 'to', 'bel', 'gri', 'un', 'sho', 'lex', 'ta', 'ion', 'per'];
const vocabulary = new Set();
while (vocabulary.size < 20_000) {
  const length = 2 + Math.floor(random() * 3);
  let word = '';
  for (let index = 0; index < length; index += 1) word += syllables[Math.floor(random() * syllables.length)];
  vocabulary.add(word);
}
const contentWords = [...vocabulary];
const functionWords = ['the', 'of', 'and', 'to', 'in', 'is', 'for', 'that', 'with', 'on', 'as', 'by', 'this', 'are', 'from', 'at', 'be', 'or', 'an', 'it'];
// Zipf: the word of rank r is drawn with weight 1 / r, by inverting the cumulative weights.
const cumulative = [];
let total = 0;
for (let rank = 1; rank <= contentWords.length; rank += 1) {
  total += 1 / rank;
  cumulative.push(total);
}
function zipfWord() {
  const target = random() * total;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] < target) low = middle + 1;
    else high = middle;
  }
  return contentWords[low];
}
function sentence() {
  const length = 8 + Math.floor(random() * 10);
  const words = [];
  for (let index = 0; index < length; index += 1) words.push(random() < 0.4 ? functionWords[Math.floor(random() * functionWords.length)] : zipfWord());
  const text = words.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}
function chunkText() {
  const sentences = [];
  let words = 0;
  while (words < wordsPerChunk) {
    const next = sentence();
    sentences.push(next);
    words += next.split(' ').length;
  }
  return sentences.join(' ');
}
function randomUnitVector() {
  const vector = new Array(dimension);
  let length = 0;
  for (let index = 0; index < dimension; index += 1) {
    vector[index] = random() * 2 - 1;
    length += vector[index] * vector[index];
  }
  length = Math.sqrt(length);
  return vector.map((value) => value / length);
}
function question() {
  const words = ['what', 'is', 'the'];
  const count = 3 + Math.floor(random() * 4);
  for (let index = 0; index < count; index += 1) words.push(zipfWord());
  return `${words.join(' ')}?`;
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

const loadAtStart = os.loadavg()[0];
const folder = mkdtempSync(path.join(os.tmpdir(), 'modelmart-retrieval-bench-'));
const database = await openDatabase({ dataDir: folder });
try {
  await database.migrateToLatest();
  const index = new KnowledgeIndex(database);
  const vectorsOn = (await index.vectorSupport()).extension !== null;
  const gptId = 'gpt_bench';
  const chunksPerDocument = 1_000;
  const buildStarted = performance.now();
  for (let documentIndex = 0; documentIndex * chunksPerDocument < chunkCount; documentIndex += 1) {
    const count = Math.min(chunksPerDocument, chunkCount - documentIndex * chunksPerDocument);
    const chunks = Array.from({ length: count }, () => {
      const text = chunkText();
      return { text, tokenCount: Math.round(text.split(' ').length * 1.3) };
    });
    const vectors = vectorsOn ? chunks.map(() => randomUnitVector()) : undefined;
    const now = new Date().toISOString();
    await index.storeDocument(
      { id: `kdoc_bench_${documentIndex}`, gpt_id: gptId, source_id: null, title: `Handbook part ${documentIndex + 1}`, source: `handbook-${documentIndex + 1}.md`, mime_type: 'text/markdown', bytes: chunks.reduce((sum, chunk) => sum + chunk.text.length, 0), content_hash: `bench${documentIndex}`, status: 'indexed', error: null, published_at: null, fetched_at: now, created_at: now, item_key: null },
      chunks,
      vectors,
    );
    if ((documentIndex + 1) % 20 === 0) process.stdout.write(`  built ${Math.min(chunkCount, (documentIndex + 1) * chunksPerDocument)} chunks\n`);
  }
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  process.stdout.write(`built ${chunkCount} chunks (${wordsPerChunk} words each${vectorsOn ? `, ${dimension}-dimension vectors` : ', no vectors: sqlite-vec did not load'}) in ${buildSeconds.toFixed(1)} s\n`);

  const questions = Array.from({ length: queryCount }, () => ({ text: question(), vector: randomUnitVector() }));
  const vectorsByQuestion = new Map(questions.map((entry) => [entry.text, entry.vector]));
  const retrieval = new KnowledgeRetrieval({ database, index, embed: async (texts) => texts.map((text) => vectorsByQuestion.get(text) ?? randomUnitVector()) });
  const modes = vectorsOn ? ['full_text', 'vector', 'hybrid'] : ['full_text'];
  const labels = { full_text: 'BM25 alone', vector: 'vector alone', hybrid: 'hybrid (RRF)' };
  const samples = Object.fromEntries(modes.map((mode) => [mode, []]));
  const found = Object.fromEntries(modes.map((mode) => [mode, 0]));
  // Warm up each mode, then take turns so drift hits all modes alike.
  for (const mode of modes) for (const entry of questions.slice(0, 20)) await retrieval.retrieve(gptId, entry.text, { limit: 5, mode });
  for (const entry of questions) {
    for (const mode of modes) {
      const started = performance.now();
      const passages = await retrieval.retrieve(gptId, entry.text, { limit: 5, mode });
      samples[mode].push(performance.now() - started);
      if (passages.length > 0) found[mode] += 1;
    }
  }
  const rows = modes.map((mode) => {
    const sorted = samples[mode].sort((left, right) => left - right);
    return { mode, label: labels[mode], p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), found: found[mode] };
  });
  const hybrid = rows.find((row) => row.mode === 'hybrid') ?? rows[0];
  const pass = hybrid.p95 < targetMilliseconds;
  const format = (value) => value.toFixed(2);
  process.stdout.write(`\n${'retrieval'.padEnd(16)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'answered'.padStart(10)}\n`);
  for (const row of rows) process.stdout.write(`${row.label.padEnd(16)}${format(row.p50).padStart(9)}${format(row.p95).padStart(9)}${format(row.p99).padStart(9)}${String(row.found).padStart(10)}\n`);
  process.stdout.write(`\n${pass ? 'PASS' : 'FAIL'}: ${hybrid.label} p95 ${format(hybrid.p95)} ms (target < ${targetMilliseconds} ms)\n`);

  const report = [
    '# Knowledge retrieval benchmark',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/gpts/retrieval.mjs\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'} (load average ${loadAtStart.toFixed(1)} when it started), Node ${process.version}, SQLite (FTS5 bm25${vectorsOn ? ', sqlite-vec' : ''}).`,
    '',
    `${chunkCount.toLocaleString('en')} chunks of one GPT (${wordsPerChunk} words each: sentences from a 20,000-word Zipf vocabulary and English function words${vectorsOn ? `; random ${dimension}-dimension unit vectors` : ''}), built in ${buildSeconds.toFixed(1)} s. ${queryCount.toLocaleString('en')} questions ("what is the …" with 3–6 vocabulary words), 5 passages each; the question's embedding is precomputed, so the times are retrieval's own.`,
    '',
    '| Retrieval | p50 (ms) | p95 (ms) | p99 (ms) | Questions answered |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.label} | ${format(row.p50)} | ${format(row.p95)} | ${format(row.p99)} | ${row.found} |`),
    '',
    `**${pass ? 'PASS' : 'FAIL'}**: ${hybrid.label} p95 ${format(hybrid.p95)} ms against the target of < ${targetMilliseconds} ms.`,
    '',
  ].join('\n');
  mkdirSync(path.join(projectRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(projectRoot, 'bench', 'results', 'retrieval.md'), report);
  if (!pass) process.exitCode = 1;
} finally {
  await database.close();
  rmSync(folder, { recursive: true, force: true });
}
