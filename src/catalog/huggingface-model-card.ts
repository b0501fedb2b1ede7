// Hugging Face model-card format: a README whose YAML front matter carries `license`, `tags`,
// `base_model` and `model-index` results. Export writes it from a card; import reads one back,
// refusing text that is not that format, with the fields HF cards lack given by the caller.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { invalidRequest } from '../core/index.js';
import { modelCardCreateSchema, type BenchmarkResult, type ModelCardBody, type ModelCardCreate } from './model-card-schema.js';

/** Our licence ids → Hugging Face's `license` values; the rest export as `other` with a name and link. */
const huggingFaceLicenses: Readonly<Record<string, string>> = {
  'Apache-2.0': 'apache-2.0',
  MIT: 'mit',
  'CC-BY-NC-4.0': 'cc-by-nc-4.0',
  'LicenseRef-llama-2': 'llama2',
  'LicenseRef-llama-3': 'llama3',
  'LicenseRef-llama-3.1': 'llama3.1',
  'LicenseRef-llama-3.2': 'llama3.2',
  'LicenseRef-llama-3.3': 'llama3.3',
  'LicenseRef-gemma': 'gemma',
};

function settingName(result: BenchmarkResult): string {
  const parts: string[] = [];
  if (result.setting.shots !== undefined) parts.push(`${result.setting.shots}-shot`);
  if (result.setting.chain_of_thought === true) parts.push('CoT');
  if (result.setting.pass_at !== undefined) parts.push(`pass@${result.setting.pass_at}`);
  return parts.join(' ') || 'default';
}

export function exportHuggingFaceCard(card: ModelCardBody, licenseName: string, licenseUrl: string | null): string {
  const license = huggingFaceLicenses[card.license.id];
  const frontMatter: Record<string, unknown> = {
    ...(license === undefined ? { license: 'other', license_name: licenseName, ...(licenseUrl === null ? {} : { license_link: licenseUrl }) } : { license }),
    language: card.languages,
    tags: [...card.market.industries, ...card.market.scenarios, ...(card.family === undefined ? [] : [card.family])],
    ...(card.base_model === undefined ? {} : { base_model: card.base_model }),
    'model-index': [
      {
        name: card.name,
        results: card.benchmarks.map((result) => ({
          task: { type: 'text-generation' },
          dataset: { name: result.benchmark, type: result.benchmark },
          metrics: [{ type: result.benchmark === 'humaneval' ? 'pass@1' : 'accuracy', value: result.score, name: settingName(result) }],
          source: result.source.kind === 'published' ? { name: `published ${result.source.published_at}`, url: result.source.citation_url } : { name: `Modelmart evaluation run ${result.source.evaluation_run_id}` },
        })),
      },
    ],
  };
  return `---\n${stringifyYaml(frontMatter)}---\n\n# ${card.name}\n\n${card.description}\n`;
}

const frontMatterSchema = z.object({
  license: z.string().optional(),
  license_name: z.string().optional(),
  language: z.union([z.string(), z.array(z.string())]).optional(),
  tags: z.array(z.string()).optional(),
  base_model: z.union([z.string(), z.array(z.string())]).optional(),
  'model-index': z
    .array(
      z.object({
        name: z.string(),
        results: z.array(
          z.object({
            dataset: z.object({ type: z.string(), name: z.string().optional() }),
            metrics: z.array(z.object({ type: z.string(), value: z.number(), name: z.string().optional() })).min(1),
            source: z.object({ url: z.string().optional(), name: z.string().optional() }).optional(),
          }),
        ),
      }),
    )
    .optional(),
});

/** What a Hugging Face card does not say, given by whoever imports it. */
export const huggingFaceImportSchema = z
  .object({
    format: z.literal('huggingface'),
    content: z.string().min(1),
    id: z.string().min(1),
    vendor: z.string().min(1),
    release_date: z.string().min(1),
    /** The date the card's results were published, for results that cite a URL. */
    results_published_at: z.string().optional(),
    capability: modelCardCreateSchema.shape.capability,
  })
  .strict();
export type HuggingFaceImport = z.infer<typeof huggingFaceImportSchema>;

export function importHuggingFaceCard(request: HuggingFaceImport): ModelCardCreate {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(request.content);
  if (match === null) throw invalidRequest('The content is not a Hugging Face model card: it has no YAML front matter between "---" lines.', 'content', 'invalid_import');
  let parsedYaml: unknown;
  try {
    parsedYaml = parseYaml(match[1] ?? '');
  } catch {
    throw invalidRequest('The content is not a Hugging Face model card: its front matter is not valid YAML.', 'content', 'invalid_import');
  }
  const front = frontMatterSchema.safeParse(parsedYaml ?? {});
  if (!front.success) throw invalidRequest(`The front matter is not a Hugging Face model card: ${front.error.issues[0]?.path.join('.') ?? ''} ${front.error.issues[0]?.message ?? ''}`, 'content', 'invalid_import');
  const metadata = front.data;
  const licenseId = Object.entries(huggingFaceLicenses).find(([, value]) => value === metadata.license)?.[0];
  if (licenseId === undefined) throw invalidRequest(`The card's licence '${metadata.license ?? '(none)'}' has no registered equivalent; create the card with a LicenseRef and its terms instead.`, 'content', 'unknown_license');
  const index = metadata['model-index']?.[0];
  const body = (match[2] ?? '').trim();
  const heading = /^#\s+(.+)$/m.exec(body)?.[1];
  const benchmarks = (index?.results ?? []).flatMap((result) => {
    const metric = result.metrics[0];
    if (metric === undefined || result.source?.url === undefined || request.results_published_at === undefined) return [];
    const shots = /(\d+)-shot/.exec(metric.name ?? '')?.[1];
    return [{ benchmark: result.dataset.type.toLowerCase(), score: metric.value, setting: shots === undefined ? {} : { shots: Number(shots) }, source: { kind: 'published', citation_url: result.source.url, published_at: request.results_published_at } }];
  });
  const parsed = modelCardCreateSchema.safeParse({
    id: request.id,
    name: index?.name ?? heading ?? request.id,
    vendor: request.vendor,
    release_date: request.release_date,
    description: body.replace(/^#.*$/m, '').trim() || `${request.id}, imported from a Hugging Face model card.`,
    languages: typeof metadata.language === 'string' ? [metadata.language] : (metadata.language ?? []),
    ...(metadata.base_model === undefined ? {} : { base_model: metadata.base_model }),
    capability: request.capability,
    openness: { model_card: { public: true } },
    license: { id: licenseId },
    benchmarks,
    provenance: { '*': 'Hugging Face model card', vendor: 'importer', release_date: 'importer', capability: 'importer' },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidRequest(`The imported card is invalid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`, issue?.path.join('.') ?? null, 'invalid_import');
  }
  return parsed.data;
}
