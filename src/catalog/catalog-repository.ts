// Reads and writes model cards and price versions through Kysely, the same on SQLite and
// PostgreSQL. Inserts that may race between servers (the seed) use "on conflict do nothing".
import { randomUUID } from 'node:crypto';
import type { Database } from '../storage/index.js';
import { modelCardBodySchema, type ModelCardBody, type PriceVersion } from './model-card-schema.js';

const catalogVersionSetting = 'catalog_version';

export interface StoredModel {
  readonly card: ModelCardBody;
  readonly deprecatedAt: string | null;
  readonly sunsetDate: string | null;
  readonly replacement: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface ModelRow {
  id: string;
  card: string;
  deprecated_at: string | null;
  sunset_date: string | null;
  replacement: string | null;
  created_at: string;
  updated_at: string;
}

interface PriceRow {
  effective_from: string;
  currency: string;
  input_per_million_tokens: number | string;
  output_per_million_tokens: number | string;
  cached_input_per_million_tokens: number | string | null;
  per_request: number | string;
  free_tier: string | null;
  source: string | null;
}

function toStoredModel(row: ModelRow): StoredModel {
  return {
    // Stored cards were validated on the way in; parsing again keeps the type honest if the schema grew defaults.
    card: modelCardBodySchema.parse(JSON.parse(row.card)),
    deprecatedAt: row.deprecated_at,
    sunsetDate: row.sunset_date,
    replacement: row.replacement,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toPriceVersion(row: PriceRow): PriceVersion {
  return {
    effective_from: row.effective_from,
    currency: row.currency === 'CNY' ? 'CNY' : 'USD',
    input_per_million_tokens: Number(row.input_per_million_tokens),
    output_per_million_tokens: Number(row.output_per_million_tokens),
    cached_input_per_million_tokens: row.cached_input_per_million_tokens === null ? null : Number(row.cached_input_per_million_tokens),
    per_request: Number(row.per_request),
    free_tier: row.free_tier,
    source: row.source,
  };
}

function modelColumns(card: ModelCardBody) {
  return {
    card: JSON.stringify(card),
    name: card.name,
    vendor: card.vendor,
    release_date: card.release_date,
    context_window: card.capability.context_window,
    license_id: card.license.id,
  };
}

export class CatalogRepository {
  constructor(private readonly database: Database) {}

  /**
   * The catalogue's version: a random token rewritten after every change, so a cached copy is
   * current while the token holds, also when another server made the change. One primary-key read.
   */
  async version(): Promise<string> {
    const row = await this.database.kysely.selectFrom('settings').select('value').where('name', '=', catalogVersionSetting).executeTakeFirst();
    return row?.value ?? '';
  }

  async bumpVersion(now: string): Promise<void> {
    const value = randomUUID();
    await this.database.kysely
      .insertInto('settings')
      .values({ name: catalogVersionSetting, value, updated_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  /** Which of these ids the catalogue holds: one query, so a start-up seed costs little when nothing is missing. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.database.kysely.selectFrom('catalog_models').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((row) => row.id));
  }

  /** Inserts a card unless one with its id exists; answers whether it was inserted. */
  async insertModel(card: ModelCardBody, prices: readonly PriceVersion[], now: string): Promise<boolean> {
    return this.database.kysely.transaction().execute(async (transaction) => {
      const inserted = await transaction
        .insertInto('catalog_models')
        .values({ id: card.id, ...modelColumns(card), deprecated_at: null, sunset_date: null, replacement: null, created_at: now, updated_at: now })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      for (const price of prices) {
        await transaction.insertInto('catalog_prices').values({ model_id: card.id, ...price, created_at: now }).execute();
      }
      return true;
    });
  }

  async updateModel(card: ModelCardBody, now: string): Promise<boolean> {
    const result = await this.database.kysely.updateTable('catalog_models').set({ ...modelColumns(card), updated_at: now }).where('id', '=', card.id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deprecate(id: string, sunsetDate: string, replacement: string | null, now: string): Promise<boolean> {
    const result = await this.database.kysely
      .updateTable('catalog_models')
      .set({ deprecated_at: now, sunset_date: sunsetDate, replacement, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async insertPrice(id: string, price: PriceVersion, now: string): Promise<boolean> {
    const result = await this.database.kysely
      .insertInto('catalog_prices')
      .values({ model_id: id, ...price, created_at: now })
      .onConflict((conflict) => conflict.columns(['model_id', 'effective_from']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async find(id: string): Promise<StoredModel | undefined> {
    const row = await this.database.kysely.selectFrom('catalog_models').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toStoredModel(row);
  }

  async list(): Promise<StoredModel[]> {
    const rows = await this.database.kysely.selectFrom('catalog_models').selectAll().orderBy('id').execute();
    return rows.map(toStoredModel);
  }

  /** Price versions of one model, oldest first. */
  async prices(id: string): Promise<PriceVersion[]> {
    const rows = await this.database.kysely.selectFrom('catalog_prices').selectAll().where('model_id', '=', id).orderBy('effective_from').execute();
    return rows.map(toPriceVersion);
  }

  /** Every model's price versions, oldest first, keyed by model id. */
  async allPrices(): Promise<Map<string, PriceVersion[]>> {
    const rows = await this.database.kysely.selectFrom('catalog_prices').selectAll().orderBy('model_id').orderBy('effective_from').execute();
    const byModel = new Map<string, PriceVersion[]>();
    for (const row of rows) {
      const list = byModel.get(row.model_id) ?? [];
      list.push(toPriceVersion(row));
      byModel.set(row.model_id, list);
    }
    return byModel;
  }
}
