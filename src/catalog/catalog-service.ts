// The catalogue service: the one interface the server and CLI use to read, search, compare
// and administer model cards. Business rules (price history is append-only, computed
// openness, seeding by id) live here, not in routes.
import type { OrganisationProfile } from '../config/index.js';
import { conflict, invalidRequest, notFound, systemClock, type Clock, type Logger } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { CatalogLicenseGate, type GatewayVerdict } from './catalog-license-gate.js';
import { CatalogPricingIndex, type GatewayPrice } from './catalog-pricing-index.js';
import { exportHuggingFaceCard } from './huggingface-model-card.js';
import { presentModel, priceInForce, type PresentedModel } from './catalog-presentation.js';
import { CatalogRepository } from './catalog-repository.js';
import { filterModels, pageModels, parseSearchQuery, sortModels, type SearchPage } from './catalog-search.js';
import { curatedCards } from './seed/curated-cards.js';
import type { ImportedCard } from './tokenlens-importer.js';
import type { BenchmarkResult, DeprecationRequest, ModelCardBody, ModelCardCreate, PriceVersion } from './model-card-schema.js';

/** Benchmarks the evaluation harness knows, valid in `min_score` even before any card has a result. */
const harnessBenchmarks = ['gsm8k', 'mmlu', 'humaneval', 'math'];

export interface ModelDetail extends PresentedModel {
  readonly price_history: PriceVersion[];
}

export interface ComparisonCell {
  readonly score: number;
  readonly setting: BenchmarkResult['setting'];
  readonly source: BenchmarkResult['source'];
}

export interface Comparison {
  readonly object: 'comparison';
  readonly models: PresentedModel[];
  /** One row a benchmark; each model's cell is its best result, or null when it has none. */
  readonly benchmarks: { readonly benchmark: string; readonly scores: Record<string, ComparisonCell | null> }[];
}

export interface ImportCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Ids that belong to cards not made by an import (curated or admin cards), left as they are. */
  readonly kept: number;
  readonly priceVersions: number;
}

function samePrice(left: PriceVersion | null, right: ImportedCard['price']): boolean {
  if (left === null || right === null) return left === right;
  return left.currency === right.currency && left.input_per_million_tokens === right.input_per_million_tokens && left.output_per_million_tokens === right.output_per_million_tokens && left.cached_input_per_million_tokens === right.cached_input_per_million_tokens;
}

const millisecondsPerDay = 86_400_000;

export class CatalogService {
  private readonly repository: CatalogRepository;
  private readonly licenseGate: CatalogLicenseGate;
  private readonly pricingIndex: CatalogPricingIndex;
  private presented: { readonly version: string; readonly nextPriceChange: string | null; readonly models: PresentedModel[] } | undefined;

  /** `logger` hears of a failed background refresh of the gateway's indexes (the previous ones stay in use). */
  constructor(database: Database, private readonly clock: Clock = systemClock, logger?: Pick<Logger, 'error'>) {
    this.repository = new CatalogRepository(database);
    this.licenseGate = new CatalogLicenseGate(this.repository, logger);
    this.pricingIndex = new CatalogPricingIndex(this.repository, logger);
  }

  /** The price version in force at `at` for a gateway model name, and the card it belongs to; undefined when unpriced. */
  async priceForGatewayModel(name: string, at: Date): Promise<GatewayPrice | undefined> {
    return this.pricingIndex.priceFor(name, at);
  }

  /** Licence decision (with a profile) and deprecation for a gateway model name; undefined when the catalogue does not list it. */
  async gatewayVerdict(modelName: string, profile: OrganisationProfile | undefined): Promise<GatewayVerdict | undefined> {
    return this.licenseGate.judge(modelName, profile, this.today());
  }

  // Today's UTC date for the sunset check, formatted once a day rather than on every request.
  private todayCache = { starts: Number.NaN, text: '' };

  private today(): string {
    const milliseconds = this.clock.now().getTime();
    const cached = this.todayCache;
    if (milliseconds >= cached.starts && milliseconds < cached.starts + millisecondsPerDay) return cached.text;
    const starts = milliseconds - (milliseconds % millisecondsPerDay);
    this.todayCache = { starts, text: new Date(starts).toISOString().slice(0, 10) };
    return this.todayCache.text;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** Drops this server's caches after a write and bumps the catalogue version, which other servers' caches check. */
  private benchmarkNames: { readonly models: readonly PresentedModel[]; readonly names: ReadonlySet<string> } | undefined;

  /** Benchmarks valid in `min_score` and `sort`: the harness's and any a card has a result for; kept with the cached cards. */
  private knownBenchmarks(models: readonly PresentedModel[]): ReadonlySet<string> {
    if (this.benchmarkNames?.models === models) return this.benchmarkNames.names;
    const names = new Set(harnessBenchmarks);
    for (const model of models) for (const result of model.benchmarks) names.add(result.benchmark);
    this.benchmarkNames = { models, names };
    return names;
  }

  private async changed(): Promise<void> {
    this.presented = undefined;
    this.licenseGate.invalidate();
    this.pricingIndex.invalidate();
    await this.repository.bumpVersion(this.now());
  }

  /**
   * Inserts the curated cards whose ids the catalogue lacks, so cards added in a later release
   * reach an existing database, while cards already there (perhaps edited by an administrator)
   * stay as they are. Servers racing here insert each card once.
   */
  async seedCuratedCards(): Promise<number> {
    const cards = curatedCards();
    const existing = await this.repository.existingIds(cards.map((card) => card.body.id));
    let inserted = 0;
    const now = this.now();
    for (const card of cards) if (!existing.has(card.body.id) && (await this.repository.insertModel(card.body, card.prices, now))) inserted += 1;
    if (inserted > 0) await this.changed();
    return inserted;
  }

  /**
   * Every card as presented, cached while the catalogue's version holds and no scheduled price
   * version has come into force, so a search reads one setting rather than every row.
   */
  private async presentAll(): Promise<PresentedModel[]> {
    const version = await this.repository.version();
    const now = this.now();
    const cached = this.presented;
    if (cached !== undefined && cached.version === version && (cached.nextPriceChange === null || now < cached.nextPriceChange)) return cached.models;
    const [models, prices] = await Promise.all([this.repository.list(), this.repository.allPrices()]);
    let nextPriceChange: string | null = null;
    for (const versions of prices.values()) {
      for (const version of versions) if (version.effective_from > now && (nextPriceChange === null || version.effective_from < nextPriceChange)) nextPriceChange = version.effective_from;
    }
    const presented = models.map((model) => presentModel(model, prices.get(model.card.id) ?? [], now));
    this.presented = { version, nextPriceChange, models: presented };
    return presented;
  }

  async search(rawQuery: unknown): Promise<SearchPage> {
    const query = parseSearchQuery(rawQuery);
    const models = await this.presentAll();
    return pageModels(sortModels(filterModels(models, query, this.knownBenchmarks(models)), query), query);
  }

  async get(id: string): Promise<ModelDetail> {
    const stored = await this.repository.find(id);
    if (stored === undefined) throw notFound(`The model '${id}' is not in the catalogue.`, 'model_not_found', 'id');
    const prices = await this.repository.prices(id);
    return { ...presentModel(stored, prices, this.now()), price_history: prices };
  }

  /** The card as an administrator would send it to create it elsewhere: body and every price version. */
  async exportJson(id: string): Promise<ModelCardCreate> {
    const stored = await this.repository.find(id);
    if (stored === undefined) throw notFound(`The model '${id}' is not in the catalogue.`, 'model_not_found', 'id');
    return { ...stored.card, prices: await this.repository.prices(id) };
  }

  /** The card as a Hugging Face README with YAML front matter. */
  async exportHuggingFace(id: string): Promise<string> {
    const detail = await this.get(id);
    const stored = await this.repository.find(id);
    if (stored === undefined) throw notFound(`The model '${id}' is not in the catalogue.`, 'model_not_found', 'id');
    return exportHuggingFaceCard(stored.card, detail.license.terms.name, detail.license.terms.url);
  }

  async compare(ids: readonly string[]): Promise<Comparison> {
    if (ids.length < 1 || ids.length > 20) throw invalidRequest('Give between 1 and 20 model ids in "ids", separated by commas.', 'ids', 'invalid_ids');
    const models = await Promise.all(ids.map(async (id) => this.get(id).catch(() => undefined)));
    const missing = ids.filter((_id, index) => models[index] === undefined);
    if (missing.length > 0) throw notFound(`Not in the catalogue: ${missing.join(', ')}.`, 'model_not_found', 'ids');
    const present = models.filter((model): model is ModelDetail => model !== undefined);
    const benchmarkNames: string[] = [];
    for (const model of present) for (const result of model.benchmarks) if (!benchmarkNames.includes(result.benchmark)) benchmarkNames.push(result.benchmark);
    const benchmarks = benchmarkNames.map((benchmark) => {
      const scores: Record<string, ComparisonCell | null> = {};
      for (const model of present) {
        let best: BenchmarkResult | undefined;
        for (const result of model.benchmarks) if (result.benchmark === benchmark && (best === undefined || result.score > best.score)) best = result;
        scores[model.id] = best === undefined ? null : { score: best.score, setting: best.setting, source: best.source };
      }
      return { benchmark, scores };
    });
    return { object: 'comparison', models: present.map(({ price_history: _history, ...model }) => model), benchmarks };
  }

  async create(input: ModelCardCreate): Promise<ModelDetail> {
    const dates = new Set(input.prices.map((price) => price.effective_from));
    if (dates.size !== input.prices.length) throw invalidRequest('Two price versions have the same effective_from.', 'prices', 'duplicate_price_version');
    if (!(await this.repository.insertModel(stripPrices(input), input.prices, this.now()))) throw conflict(`The model '${input.id}' already exists; update it instead.`, 'model_exists');
    await this.changed();
    return this.get(input.id);
  }

  async update(id: string, body: ModelCardBody): Promise<ModelDetail> {
    if (body.id !== id) throw invalidRequest(`The card's id '${body.id}' differs from the path's '${id}'.`, 'id', 'id_mismatch');
    if (!(await this.repository.updateModel(body, this.now()))) throw notFound(`The model '${id}' is not in the catalogue.`, 'model_not_found', 'id');
    await this.changed();
    return this.get(id);
  }

  /**
   * Appends a price version. Requests already billed used the version in force when they ran,
   * so a version dated in the past would rewrite billed history: refused.
   */
  async addPriceVersion(id: string, requested: PriceVersion, options: { readonly takeEffectNow?: boolean } = {}): Promise<ModelDetail> {
    const now = this.now();
    // "Now" is this service's clock, read once: a time stamped earlier by the caller would already lie in the past.
    const price = options.takeEffectNow === true ? { ...requested, effective_from: now } : requested;
    await this.get(id);
    if (price.effective_from < now) {
      throw invalidRequest(`A price version may not take effect in the past (${price.effective_from} is before ${now}): requests were already billed at the version in force.`, 'effective_from', 'price_version_in_past');
    }
    if (!(await this.repository.insertPrice(id, price, now))) throw conflict(`A price version effective ${price.effective_from} already exists.`, 'price_version_exists');
    await this.changed();
    return this.get(id);
  }

  /**
   * Writes imported cards: new ones are created, earlier imports updated, and a price version
   * dated now is appended only when the imported price differs from the one in force.
   */
  async importCards(cards: readonly ImportedCard[]): Promise<ImportCounts> {
    const counts = { created: 0, updated: 0, unchanged: 0, kept: 0, priceVersions: 0 };
    const now = this.now();
    for (const { body, price } of cards) {
      const existing = await this.repository.find(body.id);
      if (existing === undefined) {
        if (await this.repository.insertModel(body, price === null ? [] : [{ ...price, effective_from: now }], now)) {
          counts.created += 1;
          if (price !== null) counts.priceVersions += 1;
        }
        continue;
      }
      if (existing.card.provenance === undefined) {
        counts.kept += 1;
        continue;
      }
      const changed = JSON.stringify(existing.card) !== JSON.stringify(body);
      if (changed) await this.repository.updateModel(body, now);
      const current = priceInForce(await this.repository.prices(body.id), now);
      if (price !== null && !samePrice(current, price) && (await this.repository.insertPrice(body.id, { ...price, effective_from: now }, now))) counts.priceVersions += 1;
      if (changed) counts.updated += 1;
      else counts.unchanged += 1;
    }
    await this.changed();
    return counts;
  }

  /**
   * Adds a benchmark result to a card (an evaluation run's measured score, or a newly published
   * one). A result with the same benchmark, setting and source replaces the earlier one, so
   * recording a run twice does not duplicate it.
   */
  async recordBenchmarkResult(id: string, result: BenchmarkResult): Promise<ModelDetail> {
    const stored = await this.repository.find(id);
    if (stored === undefined) throw notFound(`The model '${id}' is not in the catalogue.`, 'model_not_found', 'id');
    const sameSlot = (other: BenchmarkResult) => other.benchmark === result.benchmark && JSON.stringify(other.setting) === JSON.stringify(result.setting) && JSON.stringify(other.source) === JSON.stringify(result.source);
    const benchmarks = [...stored.card.benchmarks.filter((other) => !sameSlot(other)), result];
    await this.repository.updateModel({ ...stored.card, benchmarks }, this.now());
    await this.changed();
    return this.get(id);
  }

  async deprecate(id: string, request: DeprecationRequest): Promise<ModelDetail> {
    if (request.replacement !== undefined && (await this.repository.find(request.replacement)) === undefined) {
      throw invalidRequest(`The replacement '${request.replacement}' is not in the catalogue.`, 'replacement', 'model_not_found');
    }
    if (!(await this.repository.deprecate(id, request.sunset_date, request.replacement ?? null, this.now()))) throw notFound(`The model '${id}' is not in the catalogue.`, 'model_not_found', 'id');
    await this.changed();
    return this.get(id);
  }
}

function stripPrices(input: ModelCardCreate): ModelCardBody {
  const { prices: _prices, ...body } = input;
  return body;
}
