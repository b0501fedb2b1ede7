// Import and export of GPT definitions. A GPT leaves as a JSON or YAML document (its draft and
// the number of its latest version) and comes back as a new draft from the same document; a
// LobeChat agent-index entry (identifier, meta, config) can be imported as a draft too. Every
// field is checked, and a bad one is a 400 that names it inside the document.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { zodErrorToModelmartError } from '../../api/index.js';
import { invalidRequest, ModelmartError } from '../../core/index.js';
import type { GptActor } from './gpt-access-rules.js';
import { createGptInputSchema, gptCategorySchema, gptLimits, gptSlugSchema, gptVisibilitySchema, type CreateGptInput, type GptCategory, type GptRecord } from './gpt-definition-schemas.js';
import { slugFromName } from './gpt-record-mapping.js';
import type { GptService } from './gpt-service.js';

export const gptExportFormat = 'modelmart.gpt';
export type GptExportFileFormat = 'json' | 'yaml';

/** A GPT exported: the create body's fields, what format it is, and the latest version for reference. */
export const gptExportDocumentSchema = createGptInputSchema.extend({
  format: z.literal(gptExportFormat).optional(),
  format_version: z.literal(1).optional(),
  /** Informational: a GPT imported starts as a draft without versions. */
  latest_version: z.number().int().positive().nullable().optional(),
  exported_at: z.string().optional(),
});
export type GptExportDocument = z.infer<typeof gptExportDocumentSchema>;

/** One entry of LobeChat's agent index; fields Modelmart has no place for (author, homepage …) are ignored. */
export const lobeChatAgentSchema = z.object({
  identifier: z.string().trim().min(1).max(200),
  meta: z.object({
    title: z.string().trim().min(1).max(gptLimits.nameCharacters),
    description: z.string().max(gptLimits.descriptionCharacters).optional(),
    avatar: z.string().optional(),
    tags: z.array(z.string()).optional(),
    category: z.string().optional(),
  }),
  config: z.object({
    systemRole: z.string().max(gptLimits.instructionsCharacters).default(''),
    openingQuestions: z.array(z.string().trim().min(1).max(gptLimits.conversationStarterCharacters)).max(gptLimits.conversationStarters).optional(),
    model: z.string().trim().min(1).optional(),
  }),
});
export type LobeChatAgent = z.infer<typeof lobeChatAgentSchema>;

export const importGptInputSchema = z.strictObject({
  format: z.enum(['modelmart', 'lobechat']),
  /** The document as an object, or as JSON or YAML text. */
  document: z.union([z.string().min(1).max(1_000_000), z.record(z.string(), z.unknown())]),
  /** Instead of the document's slug (or the LobeChat identifier). */
  slug: gptSlugSchema.optional(),
  /** Instead of the document's model; needed for a LobeChat entry that names none. */
  base_model: z.string().trim().min(1).max(gptLimits.baseModelCharacters).optional(),
  visibility: gptVisibilitySchema.optional(),
});
export type ImportGptInput = z.input<typeof importGptInputSchema>;

// LobeChat's agent categories, mapped to the nearest of ours.
const lobeChatCategories: Readonly<Record<string, GptCategory>> = {
  academic: 'research',
  career: 'productivity',
  copywriting: 'writing',
  design: 'other',
  education: 'education',
  emotions: 'lifestyle',
  entertainment: 'lifestyle',
  games: 'lifestyle',
  general: 'other',
  life: 'lifestyle',
  marketing: 'writing',
  office: 'productivity',
  programming: 'programming',
  translation: 'writing',
};

export function toExportDocument(gpt: GptRecord, exportedAt: Date = new Date()): GptExportDocument {
  return {
    format: gptExportFormat,
    format_version: 1,
    slug: gpt.slug,
    name: gpt.name,
    description: gpt.description,
    avatar_url: gpt.avatar_url,
    category: gptCategorySchema.safeParse(gpt.category).data ?? null,
    base_model: gpt.base_model,
    instructions: gpt.instructions,
    conversation_starters: [...gpt.conversation_starters],
    capabilities: { ...gpt.capabilities },
    visibility: gpt.visibility,
    revenue_share_basis_points: gpt.revenue_share_basis_points,
    latest_version: gpt.latest_version,
    exported_at: exportedAt.toISOString(),
  };
}

export function serialiseExport(document: GptExportDocument, format: GptExportFileFormat): { readonly contentType: string; readonly text: string } {
  if (format === 'yaml') return { contentType: 'application/yaml; charset=utf-8', text: stringifyYaml(document) };
  return { contentType: 'application/json; charset=utf-8', text: `${JSON.stringify(document, null, 2)}\n` };
}

/** Text is read as YAML, which takes JSON as well. */
function readDocument(document: string | Record<string, unknown>): unknown {
  if (typeof document !== 'string') return document;
  try {
    return parseYaml(document) as unknown;
  } catch (error) {
    throw invalidRequest(`The document is neither JSON nor YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 'document', 'invalid_document');
  }
}

/** A zod failure inside the document, named as `document.<path>`. */
function documentError(error: z.ZodError): ModelmartError {
  const plain = zodErrorToModelmartError(error);
  const param = plain.param === null ? 'document' : `document.${plain.param}`;
  return new ModelmartError(400, plain.message.replace(`'${plain.param ?? ''}'`, `'${param}'`), { param, code: 'invalid_document' });
}

/** Turns an import body into the create body of the draft it makes. */
export function importToCreateInput(input: ImportGptInput): CreateGptInput {
  const request = importGptInputSchema.safeParse(input);
  if (!request.success) throw zodErrorToModelmartError(request.error);
  const { format, slug, base_model: baseModel, visibility } = request.data;
  const document = readDocument(request.data.document);
  const overrides = { ...(slug === undefined ? {} : { slug }), ...(baseModel === undefined ? {} : { base_model: baseModel }), ...(visibility === undefined ? {} : { visibility }) };
  if (format === 'modelmart') {
    const parsed = gptExportDocumentSchema.safeParse(document);
    if (!parsed.success) throw documentError(parsed.error);
    const { format: _format, format_version: _version, latest_version: _latest, exported_at: _exportedAt, ...fields } = parsed.data;
    return { ...fields, ...overrides };
  }
  const parsed = lobeChatAgentSchema.safeParse(document);
  if (!parsed.success) throw documentError(parsed.error);
  return { ...fromLobeChat(parsed.data), ...overrides };
}

/** A LobeChat agent as a draft: title → name, systemRole → instructions, openingQuestions → conversation starters. */
export function fromLobeChat(agent: LobeChatAgent): Omit<CreateGptInput, 'base_model'> & { base_model: string } {
  const avatar = agent.meta.avatar;
  return {
    name: agent.meta.title,
    slug: slugFromName(agent.identifier),
    description: agent.meta.description ?? '',
    // LobeChat avatars are often an emoji; only an image URL has a place here.
    avatar_url: avatar !== undefined && /^https?:\/\//.test(avatar) ? avatar : null,
    category: agent.meta.category === undefined ? null : (lobeChatCategories[agent.meta.category] ?? 'other'),
    // An empty model is refused by the create body with a message that names base_model.
    base_model: agent.config.model ?? '',
    instructions: agent.config.systemRole,
    conversation_starters: agent.config.openingQuestions ?? [],
  };
}

/** Export and import through the GptService, so the same rights and checks apply. */
export class GptExchange {
  constructor(private readonly gpts: GptService) {}

  /** The draft (editors only: it holds the instructions) as a document, and as JSON or YAML text. */
  async exportGpt(reference: string, format: GptExportFileFormat, actor: GptActor): Promise<{ readonly document: GptExportDocument; readonly contentType: string; readonly text: string }> {
    const document = toExportDocument(await this.gpts.get(reference, actor));
    return { document, ...serialiseExport(document, format) };
  }

  async importGpt(input: ImportGptInput, actor: GptActor): Promise<GptRecord> {
    const create = importToCreateInput(input);
    if (create.base_model === '') {
      throw invalidRequest('The LobeChat entry names no model (config.model): pass base_model with the import.', 'base_model', 'missing_base_model');
    }
    return this.gpts.create(create, actor);
  }
}
