// Writes a tiny GGUF v3 model for tests of the embedded engine: llama architecture, a
// byte-level vocabulary (every byte is a token, so any text tokenizes), random F32 weights and
// a ChatML chat template in the metadata. No weights can be downloaded where tests run, and a
// model this small loads and generates in milliseconds; its output is gibberish by design.
import { writeFile } from 'node:fs/promises';

export interface TinyGgufOptions {
  readonly embeddingLength?: number;
  readonly blockCount?: number;
  readonly headCount?: number;
  readonly feedForwardLength?: number;
  readonly contextLength?: number;
  /** Seeds the weights, so one seed always writes the same file. */
  readonly seed?: number;
  /** Jinja chat template stored as `tokenizer.chat_template`; ChatML when absent. */
  readonly chatTemplate?: string;
  readonly name?: string;
}

export interface TinyGgufModel {
  readonly bytes: Buffer;
  readonly embeddingLength: number;
  readonly vocabularySize: number;
  readonly contextLength: number;
  readonly chatTemplate: string;
}

export const chatMlTemplate =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// GGUF value types and the one tensor type used here.
const gguf = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 } as const;
const ggmlTypeF32 = 0;
const alignment = 32;

type MetadataValue =
  | { readonly type: 'uint32' | 'int32' | 'float32'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'int32s' | 'float32s'; readonly value: readonly number[] };

/** Grows as values are appended; GGUF is little-endian throughout. */
class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  uint32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeUInt32LE(value);
    this.push(chunk);
  }
  int32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeInt32LE(value);
    this.push(chunk);
  }
  uint64(value: number): void {
    const chunk = Buffer.alloc(8);
    chunk.writeBigUInt64LE(BigInt(value));
    this.push(chunk);
  }
  float32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeFloatLE(value);
    this.push(chunk);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.uint64(bytes.length);
    this.push(bytes);
  }
  raw(chunk: Buffer): void {
    this.push(chunk);
  }
  padTo(multiple: number): void {
    const padding = (multiple - (this.length % multiple)) % multiple;
    if (padding > 0) this.push(Buffer.alloc(padding));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeMetadataValue(writer: ByteWriter, entry: MetadataValue): void {
  switch (entry.type) {
    case 'uint32':
      writer.uint32(gguf.uint32);
      writer.uint32(entry.value);
      return;
    case 'int32':
      writer.uint32(gguf.int32);
      writer.int32(entry.value);
      return;
    case 'float32':
      writer.uint32(gguf.float32);
      writer.float32(entry.value);
      return;
    case 'bool':
      writer.uint32(gguf.bool);
      writer.raw(Buffer.from([entry.value ? 1 : 0]));
      return;
    case 'string':
      writer.uint32(gguf.string);
      writer.string(entry.value);
      return;
    case 'strings':
      writer.uint32(gguf.array);
      writer.uint32(gguf.string);
      writer.uint64(entry.value.length);
      for (const item of entry.value) writer.string(item);
      return;
    case 'int32s':
      writer.uint32(gguf.array);
      writer.uint32(gguf.int32);
      writer.uint64(entry.value.length);
      for (const item of entry.value) writer.int32(item);
      return;
    case 'float32s':
      writer.uint32(gguf.array);
      writer.uint32(gguf.float32);
      writer.uint64(entry.value.length);
      for (const item of entry.value) writer.float32(item);
      return;
  }
}

/** mulberry32: a small seeded generator, so the same seed gives the same weights. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

// Token types as llama.cpp reads them from tokenizer.ggml.token_type.
const tokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

function byteLevelVocabulary(): { tokens: string[]; types: number[] } {
  // '▁' is how a sentencepiece vocabulary spells a space; as a normal token it detokenizes back
  // to ' ', where the three byte tokens of its UTF-8 form would not.
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>', '\u2581'];
  const types: number[] = [tokenType.unknown, tokenType.control, tokenType.control, tokenType.control, tokenType.control, tokenType.normal];
  for (let byte = 0; byte < 256; byte += 1) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(tokenType.byte);
  }
  return { tokens, types };
}

/** Builds the model in memory; `writeTinyGguf` saves it to a file. */
export function buildTinyGguf(options: TinyGgufOptions = {}): TinyGgufModel {
  const embeddingLength = options.embeddingLength ?? 64;
  const blockCount = options.blockCount ?? 2;
  const headCount = options.headCount ?? 4;
  const feedForwardLength = options.feedForwardLength ?? 128;
  const contextLength = options.contextLength ?? 512;
  const chatTemplate = options.chatTemplate ?? chatMlTemplate;
  const random = seededRandom(options.seed ?? 42);
  const vocabulary = byteLevelVocabulary();
  const vocabularySize = vocabulary.tokens.length;

  const metadata: [string, MetadataValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'tiny-test-model' }],
    ['general.alignment', { type: 'uint32', value: alignment }],
    ['general.file_type', { type: 'uint32', value: 0 }],
    ['llama.context_length', { type: 'uint32', value: contextLength }],
    ['llama.embedding_length', { type: 'uint32', value: embeddingLength }],
    ['llama.block_count', { type: 'uint32', value: blockCount }],
    ['llama.feed_forward_length', { type: 'uint32', value: feedForwardLength }],
    ['llama.attention.head_count', { type: 'uint32', value: headCount }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: headCount }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'uint32', value: embeddingLength / headCount }],
    ['llama.vocab_size', { type: 'uint32', value: vocabularySize }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'float32s', value: vocabulary.tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', { type: 'int32s', value: vocabulary.types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'uint32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'uint32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: 4 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: chatTemplate }],
  ];

  // ggml lists dimensions innermost first: a [input, output] matrix maps input to output.
  const tensors: { name: string; dimensions: number[]; values: Float32Array }[] = [];
  const addTensor = (name: string, dimensions: number[], fill: 'ones' | 'random'): void => {
    const count = dimensions.reduce((product, dimension) => product * dimension, 1);
    const values = new Float32Array(count);
    const scale = 1 / Math.sqrt(dimensions[0] ?? 1);
    for (let index = 0; index < count; index += 1) values[index] = fill === 'ones' ? 1 : (random() * 2 - 1) * scale;
    tensors.push({ name, dimensions, values });
  };
  addTensor('token_embd.weight', [embeddingLength, vocabularySize], 'random');
  addTensor('output_norm.weight', [embeddingLength], 'ones');
  addTensor('output.weight', [embeddingLength, vocabularySize], 'random');
  for (let block = 0; block < blockCount; block += 1) {
    addTensor(`blk.${block}.attn_norm.weight`, [embeddingLength], 'ones');
    addTensor(`blk.${block}.attn_q.weight`, [embeddingLength, embeddingLength], 'random');
    addTensor(`blk.${block}.attn_k.weight`, [embeddingLength, embeddingLength], 'random');
    addTensor(`blk.${block}.attn_v.weight`, [embeddingLength, embeddingLength], 'random');
    addTensor(`blk.${block}.attn_output.weight`, [embeddingLength, embeddingLength], 'random');
    addTensor(`blk.${block}.ffn_norm.weight`, [embeddingLength], 'ones');
    addTensor(`blk.${block}.ffn_gate.weight`, [embeddingLength, feedForwardLength], 'random');
    addTensor(`blk.${block}.ffn_up.weight`, [embeddingLength, feedForwardLength], 'random');
    addTensor(`blk.${block}.ffn_down.weight`, [feedForwardLength, embeddingLength], 'random');
  }

  const writer = new ByteWriter();
  writer.raw(Buffer.from('GGUF', 'ascii'));
  writer.uint32(3);
  writer.uint64(tensors.length);
  writer.uint64(metadata.length);
  for (const [key, value] of metadata) {
    writer.string(key);
    writeMetadataValue(writer, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    writer.string(tensor.name);
    writer.uint32(tensor.dimensions.length);
    for (const dimension of tensor.dimensions) writer.uint64(dimension);
    writer.uint32(ggmlTypeF32);
    writer.uint64(offset);
    offset += Math.ceil((tensor.values.length * 4) / alignment) * alignment;
  }
  writer.padTo(alignment);
  for (const tensor of tensors) {
    writer.raw(Buffer.from(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength));
    writer.padTo(alignment);
  }
  return { bytes: writer.toBuffer(), embeddingLength, vocabularySize, contextLength, chatTemplate };
}

/** Writes the tiny model to `filePath` and describes it. */
export async function writeTinyGguf(filePath: string, options: TinyGgufOptions = {}): Promise<TinyGgufModel & { readonly filePath: string }> {
  const model = buildTinyGguf(options);
  await writeFile(filePath, model.bytes);
  return { ...model, filePath };
}
