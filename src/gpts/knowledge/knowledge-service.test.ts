import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { configSchema } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { encryptedPdf, hashingEmbed, minimalDocx, minimalPdf } from './__fixtures__/knowledge-file-fixtures.js';
import { chunkText } from './knowledge-chunking.js';
import { KnowledgeService, type KnowledgeConfig } from './knowledge-service.js';

function knowledgeConfig(overrides: Record<string, unknown> = {}): KnowledgeConfig {
  return configSchema.parse({ gpts: { knowledge: overrides } }).gpts.knowledge;
}

async function failure(promise: Promise<unknown>): Promise<ModelmartError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelmartError) return error;
    throw error;
  }
  throw new Error('expected a ModelmartError');
}

async function counts(database: Database, gptId: string): Promise<{ documents: number; chunks: number }> {
  const documents = await database.kysely.selectFrom('gpt_knowledge_documents').select((e) => e.fn.countAll<number>().as('n')).where('gpt_id', '=', gptId).executeTakeFirstOrThrow();
  const chunks = await database.kysely.selectFrom('gpt_knowledge_chunks').select((e) => e.fn.countAll<number>().as('n')).where('gpt_id', '=', gptId).executeTakeFirstOrThrow();
  return { documents: Number(documents.n), chunks: Number(chunks.n) };
}

describe('chunking by tokens', () => {
  it('cuts long text at paragraph and sentence ends, each chunk within the budget, overlapping the one before', () => {
    const paragraph = (index: number) => Array.from({ length: 12 }, (_, sentence) => `Paragraph ${index} sentence ${sentence} talks about topic ${index * 100 + sentence}.`).join(' ');
    const text = Array.from({ length: 20 }, (_, index) => paragraph(index)).join('\n\n');
    const chunks = chunkText(text, { chunkTokens: 120, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(125);
    for (const chunk of chunks) expect(chunk.text.trim().endsWith('.')).toBe(true);
    // The last sentence of one chunk opens the next.
    const first = chunks[0]?.text ?? '';
    const lastSentence = first.split(/(?<=\.)\s+/u).pop() ?? '';
    expect(chunks[1]?.text.startsWith(lastSentence)).toBe(true);
    expect(chunkText('short text', { chunkTokens: 800, overlapTokens: 100 })).toEqual([{ text: 'short text', tokenCount: 2 }]);
  });

  it('cuts a long run without spaces by length', () => {
    const chunks = chunkText('知识库'.repeat(2_000), { chunkTokens: 200, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(200);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('知识库'.repeat(2_000));
  });
});

describe.each(testDatabaseTargets())('GPT knowledge files on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let knowledge: KnowledgeService;

  beforeAll(async () => {
    opened = await target.open();
    knowledge = new KnowledgeService({ database: opened.database, config: knowledgeConfig({ maxFilesPerGpt: 3, maxFileBytes: 4_000, maxTotalBytesPerGpt: 6_000 }) });
  });
  afterAll(async () => opened.dispose());

  it('extracts, indexes and finds text in every supported file type, each passage with its title and source', async () => {
    const unlimited = new KnowledgeService({ database: opened.database, config: knowledgeConfig() });
    const files: [string, Buffer, string][] = [
      ['notes.txt', Buffer.from('The aurora borealis glows green over Tromsø in winter.'), 'aurora'],
      ['guide.md', Buffer.from('# Setup\n\nInstall the **flux capacitor** before the first journey.'), 'capacitor'],
      ['page.html', Buffer.from('<html><head><title>Volcano facts</title><script>var magma = 1</script></head><body><p>Basalt lava flows from shield volcanoes.</p></body></html>'), 'basalt'],
      ['manual.pdf', minimalPdf(['Calibrate the spectrometer daily.', 'Record the wavelength.']), 'spectrometer'],
      ['policy.docx', minimalDocx(['Travel policy', 'Employees book economy flights under six hours.']), 'economy'],
      ['prices.csv', Buffer.from('product,price\n"Widget, large",12.50\nGizmo,3\n'), 'gizmo'],
      ['config.json', Buffer.from('{"service":{"name":"orchestrion","replicas":3}}'), 'orchestrion'],
    ];
    for (const [name, bytes, word] of files) {
      const document = await unlimited.addFile('gpt_files', name, bytes);
      expect(document).toMatchObject({ object: 'gpt.knowledge.document', status: 'indexed', source: name, bytes: bytes.length, chunk_count: 1, source_id: null });
      const [passage] = await unlimited.retrieve('gpt_files', `what about ${word}?`, { limit: 3 });
      expect(passage).toMatchObject({ documentId: document.id, source: name, date: document.fetched_at });
      expect(passage?.text.toLowerCase()).toContain(word);
    }
    const page = await unlimited.retrieve('gpt_files', 'basalt', { limit: 1 });
    expect(page[0]?.title).toBe('Volcano facts');
    expect(page[0]?.text).not.toContain('magma');
    const csv = await unlimited.retrieve('gpt_files', 'widget', { limit: 1 });
    expect(csv[0]?.text).toContain('product: Widget, large; price: 12.50');
    expect(await unlimited.retrieve('gpt_files', 'json', { limit: 5 })).toEqual([]);
    expect(await unlimited.retrieve('gpt_other', 'basalt', { limit: 5 })).toEqual([]);
    expect((await unlimited.status('gpt_files'))).toMatchObject({ files: 7, documents: 7, chunks: 7, retrieval: 'full_text', vector_search: { available: false } });
  });

  it('refuses an encrypted PDF with 422 and indexes nothing; an unknown type with 415', async () => {
    const encrypted = await failure(knowledge.addFile('gpt_refused', 'secret.pdf', encryptedPdf(['classified launch codes'])));
    expect(encrypted).toMatchObject({ status: 422, code: 'knowledge_file_unreadable' });
    expect(encrypted.message).toMatch(/encrypted/);
    const broken = await failure(knowledge.addFile('gpt_refused', 'broken.docx', Buffer.from('not a zip at all')));
    expect(broken).toMatchObject({ status: 422, code: 'knowledge_file_unreadable' });
    const binary = await failure(knowledge.addFile('gpt_refused', 'latin.txt', Buffer.from([0xff, 0xfe, 0x41, 0xc3])));
    expect(binary).toMatchObject({ status: 422, code: 'knowledge_file_unreadable' });
    const unknown = await failure(knowledge.addFile('gpt_refused', 'archive.tar.gz', Buffer.from('x')));
    expect(unknown).toMatchObject({ status: 415, code: 'unsupported_file_type' });
    expect(await counts(opened.database, 'gpt_refused')).toEqual({ documents: 0, chunks: 0 });
    expect(await knowledge.retrieve('gpt_refused', 'classified launch codes', { limit: 5 })).toEqual([]);
  });

  it('enforces the limits per file, files per GPT and total bytes with 413 naming the figures', async () => {
    const big = await failure(knowledge.addFile('gpt_limits', 'big.txt', Buffer.alloc(4_001, 'a')));
    expect(big).toMatchObject({ status: 413, code: 'knowledge_limit_exceeded' });
    expect(big.message).toContain('4001 bytes');
    expect(big.message).toContain('4000');
    await knowledge.addFile('gpt_limits', 'one.txt', Buffer.alloc(3_000, 'b'));
    const total = await failure(knowledge.addFile('gpt_limits', 'two.txt', Buffer.alloc(3_001, 'c')));
    expect(total).toMatchObject({ status: 413, code: 'knowledge_limit_exceeded' });
    expect(total.message).toContain('holds 3000 bytes; adding 3001 more would pass the limit of 6000 bytes');
    await knowledge.addFile('gpt_limits', 'two.txt', Buffer.from('second'));
    await knowledge.addFile('gpt_limits', 'three.txt', Buffer.from('third'));
    const files = await failure(knowledge.addFile('gpt_limits', 'four.txt', Buffer.from('fourth')));
    expect(files).toMatchObject({ status: 413, code: 'knowledge_limit_exceeded' });
    expect(files.message).toContain('already has 3 knowledge files; the limit is 3');
    expect(await counts(opened.database, 'gpt_limits')).toEqual({ documents: 3, chunks: 3 });
  });

  it('lets only as many concurrent uploads through as the file limit allows', async () => {
    const uploads = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((name) => knowledge.addFile('gpt_race', `${name}.txt`, Buffer.from(`file ${name} of the race`))));
    expect(uploads.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    for (const outcome of uploads) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ status: 413, code: 'knowledge_limit_exceeded' });
    expect(await counts(opened.database, 'gpt_race')).toEqual({ documents: 3, chunks: 3 });
  });

  it('takes questions with search syntax in them as plain words', async () => {
    await knowledge.addFile('gpt_syntax', 'lang.txt', Buffer.from('C++ templates and Rust traits compared. NEAR the end: what is AND?'));
    for (const question of [`what's "C++"?`, 'AND OR NOT', 'NEAR(templates traits)', 'col:umn * ^start', '"unbalanced', '', '   ', '(((', '-rust', 'templates*']) {
      await expect(knowledge.retrieve('gpt_syntax', question, { limit: 3 })).resolves.toBeDefined();
    }
    expect((await knowledge.retrieve('gpt_syntax', `what's "C++"?`, { limit: 3 })).length).toBe(1);
    expect((await knowledge.retrieve('gpt_syntax', '', { limit: 3 })).length).toBe(0);
  });

  it('finds Chinese text by its characters, and deletes a document from search', async () => {
    const document = await knowledge.addFile('gpt_chinese', 'faq.md', Buffer.from('退货政策：商品在三十天内可以退货。\n\nShipping takes three days.'));
    const found = await knowledge.retrieve('gpt_chinese', '退货', { limit: 3 });
    expect(found[0]?.documentId).toBe(document.id);
    expect((await knowledge.listDocuments('gpt_chinese')).map((entry) => entry.id)).toEqual([document.id]);
    await knowledge.deleteDocument('gpt_chinese', document.id);
    expect(await knowledge.retrieve('gpt_chinese', '退货 shipping', { limit: 3 })).toEqual([]);
    expect(await counts(opened.database, 'gpt_chinese')).toEqual({ documents: 0, chunks: 0 });
    await expect(knowledge.deleteDocument('gpt_chinese', document.id)).rejects.toMatchObject({ status: 404 });
  });

  it('fuses BM25 and vector ranks when an embeddings function is given (full text only where the database has no vector search)', async () => {
    const embedCalls: number[] = [];
    const embed = hashingEmbed(512, { automobile: 'car', vehicle: 'car' });
    const hybrid = new KnowledgeService({
      database: opened.database,
      config: knowledgeConfig({ chunkTokens: 50, chunkOverlapTokens: 0 }),
      embed: async (texts) => {
        embedCalls.push(texts.length);
        return embed(texts);
      },
    });
    const paragraphs = [
      'The car needs new tyres before the winter season. Check the tread depth, the pressure and the spare wheel, then book the garage early because queues grow long in November.',
      'Bananas ripen faster next to apples in a paper bag. Ethylene gas from the apples speeds the ripening, so keep them apart when you want the fruit to last longer in the kitchen.',
      'Quarterly revenue rose eight percent on strong cloud demand. Margins improved as data centre utilisation climbed, and the board raised its guidance for the full fiscal year.',
      'Oil the bicycle chain every few hundred kilometres. Wipe off old grease first, apply one drop per link, spin the pedals, and remove the excess so dirt does not stick.',
    ];
    await hybrid.addFile('gpt_hybrid', 'mixed.txt', Buffer.from(paragraphs.join('\n\n')));
    const status = await hybrid.status('gpt_hybrid');
    if (target.name === 'sqlite') {
      expect(embedCalls).toEqual([4]);
      expect(status).toMatchObject({ retrieval: 'hybrid', vector_search: { available: true, reason: null } });
      // No word of the question is in the text: only the vector side (automobile ≈ car) finds it.
      const [byMeaning] = await hybrid.retrieve('gpt_hybrid', 'automobile vehicle', { limit: 1 });
      expect(byMeaning?.text).toContain('car needs new tyres');
      expect(await hybrid.retrieve('gpt_hybrid', 'automobile vehicle', { limit: 1, mode: 'full_text' })).toEqual([]);
      // A passage both rankings put first scores 2 / (60 + 1).
      const [both] = await hybrid.retrieve('gpt_hybrid', 'bicycle chain', { limit: 2 });
      expect(both?.text).toContain('bicycle chain');
      expect(both?.score).toBeCloseTo(2 / 61, 6);
    } else {
      expect(status).toMatchObject({ retrieval: 'full_text', vector_search: { available: false, reason: expect.stringContaining('pgvector') } });
      const [byWords] = await hybrid.retrieve('gpt_hybrid', 'bicycle chain', { limit: 2 });
      expect(byWords?.score).toBeCloseTo(1 / 61, 6);
    }
  });
});
