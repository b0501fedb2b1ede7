// GPT definitions: drafts created and changed by their editors, soft deletion, and publishing,
// which freezes the draft into the next immutable version in gpt_versions. Calls run the latest
// published version unless they pin one; the resolver that finds it lives beside this service.
import type { z } from 'zod';
import type { Principal } from '../../accounts/index.js';
import { zodErrorToModelmartError } from '../../api/index.js';
import type { Config } from '../../config/index.js';
import { conflict, invalidRequest, ModelmartError, newSequentialId, permissionDenied, systemClock, type Clock } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import type { GptResolver, GptToolbox, PublishedGpt } from '../gpt-contracts.js';
import { ensureGptEditor, gptNotFound, isGptEditor, mayViewGpt, type GptActor } from './gpt-access-rules.js';
import {
  createGptInputSchema,
  reservedGptSlugs,
  updateGptInputSchema,
  type CreateGptInput,
  type GptPage,
  type GptRecord,
  type GptVersionRecord,
  type GptVersionSummary,
  type UpdateGptInput,
} from './gpt-definition-schemas.js';
import { publishedFromRow, slugFromName, toGptRecord, toVersionRecord } from './gpt-record-mapping.js';
import { GptRepository, type GptRow } from './gpt-repository.js';
import { PublishedGptResolver } from './published-gpt-resolver.js';

export interface GptServiceOptions {
  readonly database: Database;
  readonly config: Config['gpts'];
  readonly clock?: Clock;
  /** Whether a base model name is a catalogue model or route; without it any name is accepted. */
  readonly modelExists?: (name: string) => boolean;
  /** Snapshots the GPT's actions into each version; without it versions carry no actions (null). */
  readonly toolbox?: Pick<GptToolbox, 'snapshot'>;
}

function parseInput<Output>(schema: z.ZodType<Output, unknown>, input: unknown): Output {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodErrorToModelmartError(parsed.error);
  return parsed.data;
}

const slugTaken = (slug: string) => conflict(`The GPT slug ${JSON.stringify(slug)} is taken; choose another.`, 'slug_taken');

export class GptService implements GptResolver {
  private readonly repository: GptRepository;
  private readonly clock: Clock;
  private readonly resolver: PublishedGptResolver;

  constructor(private readonly options: GptServiceOptions) {
    this.repository = new GptRepository(options.database.kysely);
    this.clock = options.clock ?? systemClock;
    this.resolver = new PublishedGptResolver(this.repository);
  }

  async create(input: CreateGptInput, actor: GptActor): Promise<GptRecord> {
    const request = parseInput(createGptInputSchema, input);
    this.checkBaseModel(request.base_model);
    this.checkRevenueShare(request.revenue_share_basis_points, actor);
    const limit = this.options.config.limits.maxGptsPerOrganisation;
    if ((await this.repository.countLiveInOrganisation(actor.organisationId)) >= limit) {
      throw new ModelmartError(409, `This organisation already has ${limit} GPTs, the most gpts.limits.maxGptsPerOrganisation allows; delete one or raise the limit.`, { code: 'gpt_limit_reached' });
    }
    const slug = request.slug ?? (await this.freeSlugFor(request.name));
    if (await this.repository.slugTaken(slug)) throw slugTaken(slug);
    const now = this.clock.now().toISOString();
    const row: GptRow = {
      id: newSequentialId('gpt'),
      slug,
      organisation_id: actor.organisationId,
      project_id: actor.projectId,
      creator_key_id: actor.keyId,
      creator_user_id: actor.userId,
      name: request.name,
      description: request.description,
      avatar_url: request.avatar_url ?? null,
      category: request.category ?? null,
      base_model: request.base_model,
      instructions: request.instructions,
      conversation_starters: JSON.stringify(request.conversation_starters),
      capabilities: JSON.stringify({ knowledge: request.capabilities?.knowledge ?? true, actions: request.capabilities?.actions ?? true }),
      visibility: request.visibility,
      revenue_share_basis_points: request.revenue_share_basis_points ?? this.options.config.defaultRevenueShareBasisPoints,
      latest_version: null,
      published_at: null,
      hidden_at: null,
      hidden_reason: null,
      featured_at: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await this.repository.insert(row).catch(async (error: unknown) => {
      // Two creations of one slug at once: the unique index lets one through.
      if (await this.repository.slugTaken(slug)) throw slugTaken(slug);
      throw error;
    });
    return toGptRecord(row);
  }

  /** The draft and its state, for the GPT's editors only. */
  async get(reference: string, actor: GptActor): Promise<GptRecord> {
    return toGptRecord(await this.editableRow(reference, actor));
  }

  /** Throws 404 (invisible) or 403 (visible, not an editor) unless the actor may change the GPT. */
  async requireEditable(reference: string, principal: GptActor): Promise<GptRecord> {
    return this.get(reference, principal);
  }

  async update(reference: string, input: UpdateGptInput, actor: GptActor): Promise<GptRecord> {
    const row = await this.editableRow(reference, actor);
    const request = parseInput(updateGptInputSchema, input);
    if (request.base_model !== undefined) this.checkBaseModel(request.base_model);
    this.checkRevenueShare(request.revenue_share_basis_points, actor);
    if (request.slug !== undefined && request.slug !== row.slug) {
      if (row.latest_version !== null) throw conflict(`GPT ${JSON.stringify(row.slug)} has been published, so its slug is fixed: callers name it by that slug.`, 'slug_locked');
      if (await this.repository.slugTaken(request.slug)) throw slugTaken(request.slug);
    }
    const current = toGptRecord(row);
    const changed: GptRow = {
      ...row,
      slug: request.slug ?? row.slug,
      name: request.name ?? row.name,
      description: request.description ?? row.description,
      avatar_url: request.avatar_url === undefined ? row.avatar_url : request.avatar_url,
      category: request.category === undefined ? row.category : request.category,
      base_model: request.base_model ?? row.base_model,
      instructions: request.instructions ?? row.instructions,
      conversation_starters: request.conversation_starters === undefined ? row.conversation_starters : JSON.stringify(request.conversation_starters),
      capabilities: JSON.stringify({ ...current.capabilities, ...request.capabilities }),
      visibility: request.visibility ?? row.visibility,
      revenue_share_basis_points: request.revenue_share_basis_points ?? row.revenue_share_basis_points,
      updated_at: this.clock.now().toISOString(),
    };
    const { id: _id, ...changes } = changed;
    await this.repository.update(row.id, changes).catch(async (error: unknown) => {
      if (changed.slug !== row.slug && (await this.repository.slugTaken(changed.slug))) throw slugTaken(changed.slug);
      throw error;
    });
    return toGptRecord(changed);
  }

  /** Soft deletion: the GPT and its versions stop resolving; its slug stays taken so nobody can take over a name callers use. */
  async delete(reference: string, actor: GptActor): Promise<GptRecord> {
    const row = await this.editableRow(reference, actor);
    const now = this.clock.now().toISOString();
    await this.repository.update(row.id, { deleted_at: now, updated_at: now });
    return toGptRecord({ ...row, deleted_at: now, updated_at: now });
  }

  /** Freezes the draft into the next version; 409 `publish_conflict` when another publishing took that number first. */
  async publish(reference: string, actor: GptActor): Promise<GptVersionRecord> {
    const row = await this.editableRow(reference, actor);
    this.checkBaseModel(row.base_model);
    const actionsSnapshot = this.options.toolbox === undefined ? null : await this.options.toolbox.snapshot(row.id);
    const now = this.clock.now().toISOString();
    const version = (row.latest_version ?? 0) + 1;
    const published: PublishedGpt = { ...publishedFromRow(row, version, now), actionsSnapshot };
    const appended = await this.repository.appendVersion(row.id, row.latest_version, { gpt_id: row.id, version, definition: JSON.stringify(published), published_at: now, published_by_key_id: actor.keyId }, now);
    if (!appended) {
      throw new ModelmartError(409, `GPT ${JSON.stringify(row.slug)} was published by another request at the same moment; publish again to make a new version.`, { code: 'publish_conflict', retryable: true });
    }
    return toVersionRecord(published, actor.keyId, true);
  }

  async listVersions(reference: string, actor: GptActor): Promise<GptVersionSummary[]> {
    const row = await this.visibleRow(reference, actor);
    const versions = await this.repository.listVersions(row.id);
    return versions.map((version) => ({ object: 'gpt.version', ...version }));
  }

  async getVersion(reference: string, version: number, actor: GptActor): Promise<GptVersionRecord> {
    const row = await this.visibleRow(reference, actor);
    const found = Number.isInteger(version) && version > 0 ? await this.repository.findVersion(row.id, version) : undefined;
    if (found === undefined) throw gptNotFound(`${row.slug}@${version}`);
    return toVersionRecord(this.resolver.parseDefinition(found.definition), found.published_by_key_id, isGptEditor(row, actor));
  }

  /** The GPT page: published fields and versions for whoever may see it, the draft for its editors. */
  async getPage(reference: string, actor: GptActor): Promise<GptPage> {
    const row = await this.visibleRow(reference, actor);
    const editable = isGptEditor(row, actor);
    const versions = (await this.repository.listVersions(row.id)).map((version): GptVersionSummary => ({ object: 'gpt.version', ...version }));
    const latest = row.latest_version === null ? undefined : await this.repository.findVersion(row.id, row.latest_version);
    return {
      object: 'gpt.page',
      id: row.id,
      slug: row.slug,
      visibility: toGptRecord(row).visibility,
      organisation_id: row.organisation_id,
      avatar_url: row.avatar_url,
      latest_version: row.latest_version,
      published_at: row.published_at,
      featured_at: row.featured_at,
      published: latest === undefined ? null : toVersionRecord(this.resolver.parseDefinition(latest.definition), latest.published_by_key_id, editable),
      versions,
      editable,
      ...(editable ? { draft: toGptRecord(row) } : {}),
    };
  }

  /** GPTs the actor may edit, newest first: an installation admin's are all (or one organisation's). */
  async listEditable(actor: GptActor, filter: { readonly organisationId?: string } = {}): Promise<GptRecord[]> {
    const organisationId = actor.role === 'admin' ? filter.organisationId : actor.organisationId;
    const rows = await this.repository.listLive(organisationId);
    return rows.filter((row) => isGptEditor(row, actor)).map(toGptRecord);
  }

  resolvePublished(reference: string, principal: Principal): Promise<PublishedGpt> {
    return this.resolver.resolvePublished(reference, principal);
  }

  /** Live and visible: unpublished and hidden GPTs only to their editors, deleted ones to nobody. */
  private async visibleRow(reference: string, actor: GptActor): Promise<GptRow> {
    const row = await this.repository.find(reference);
    if (row === undefined || row.deleted_at !== null) throw gptNotFound(reference);
    if (isGptEditor(row, actor)) return row;
    if (!mayViewGpt(row, actor) || row.latest_version === null || row.hidden_at !== null) throw gptNotFound(reference);
    return row;
  }

  private async editableRow(reference: string, actor: GptActor): Promise<GptRow> {
    const row = await this.repository.find(reference);
    if (row === undefined || row.deleted_at !== null) throw gptNotFound(reference);
    ensureGptEditor(row, actor);
    return row;
  }

  private checkBaseModel(name: string): void {
    if (this.options.modelExists !== undefined && !this.options.modelExists(name)) {
      throw invalidRequest(`The base model ${JSON.stringify(name)} is neither a catalogue model nor a route: name one that GET /v1/models lists.`, 'base_model', 'model_not_found');
    }
  }

  private checkRevenueShare(basisPoints: number | undefined, actor: GptActor): void {
    const standard = this.options.config.defaultRevenueShareBasisPoints;
    if (basisPoints !== undefined && basisPoints > standard && actor.role !== 'admin') {
      throw permissionDenied(`A creator may set a revenue share up to ${standard} basis points; above that needs an installation admin key.`);
    }
  }

  /** The name's slug, or that slug with -2, -3 … when it is taken (a slug given outright is never changed). */
  private async freeSlugFor(name: string): Promise<string> {
    const base = slugFromName(name);
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const suffix = attempt === 1 ? '' : `-${attempt}`;
      const candidate = `${base.slice(0, 64 - suffix.length).replace(/-+$/, '')}${suffix}`;
      if (!reservedGptSlugs.has(candidate) && !(await this.repository.slugTaken(candidate))) return candidate;
    }
    return `${base.slice(0, 55).replace(/-+$/, '')}-${newSequentialId('x').slice(-8).toLowerCase().replace(/[^a-z0-9]/g, '0')}`;
  }
}
