// Routes changed at run time through the admin API: stored in the database, applied to this
// server's routing table at once, and to every other server on the database through a change
// feed that each one watches.
import type { z } from 'zod';
import { ConfigError, routeSchema, type RouteConfig } from '../config/index.js';
import { ModelmartError, notFound, systemClock, type Clock, type Logger } from '../core/index.js';
import type { ChangeFeed, Database } from '../storage/index.js';

/** The body of PUT /admin/v1/routes/{model}: a route without its name (the path carries it). */
export const routeDefinitionSchema = routeSchema.omit({ model: true });
export type RouteDefinition = z.infer<typeof routeDefinitionSchema>;

export interface StoredRoute {
  readonly route: RouteConfig;
  readonly source: 'admin' | 'file';
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export interface RouteAdministrationOptions {
  readonly database: Database;
  readonly fileRoutes: readonly RouteConfig[];
  /** Applies the full set of stored routes to the routing table (throws ConfigError if invalid). */
  readonly apply: (routes: readonly RouteConfig[]) => void;
  readonly clock?: Clock;
  readonly logger?: Pick<Logger, 'error'>;
  /** How often to look for changes made by other servers. */
  readonly pollMilliseconds?: number;
}

export class RouteAdministration {
  private readonly database: Database;
  private readonly clock: Clock;
  private changes: ChangeFeed | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private stored: { readonly route: RouteConfig; readonly updatedAt: string; readonly updatedBy: string }[] = [];
  // Reloads and writes take turns: a reload that read the table before a write committed must
  // not apply its stale rows after the write.
  private turn: Promise<unknown> = Promise.resolve();

  private exclusive<Result>(work: () => Promise<Result>): Promise<Result> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  constructor(private readonly options: RouteAdministrationOptions) {
    this.database = options.database;
    this.clock = options.clock ?? systemClock;
  }

  /** Loads stored routes, applies them, and starts watching for other servers' changes. */
  async start(): Promise<void> {
    this.changes = await this.database.openChangeFeed('routes');
    await this.reload();
    this.poller = setInterval(() => {
      if (this.changes?.changedSinceLastCheck() !== true) return;
      this.reload().catch((error: unknown) => this.options.logger?.error({ err: error }, 'reloading stored routes failed'));
    }, this.options.pollMilliseconds ?? 1_000);
    this.poller.unref();
  }

  stop(): void {
    if (this.poller !== undefined) clearInterval(this.poller);
  }

  list(): StoredRoute[] {
    const storedNames = new Set(this.stored.map((entry) => entry.route.model));
    return [
      ...this.options.fileRoutes.filter((route) => !storedNames.has(route.model)).map((route) => ({ route, source: 'file' as const })),
      ...this.stored.map((entry) => ({ route: entry.route, source: 'admin' as const, updatedAt: entry.updatedAt, updatedBy: entry.updatedBy })),
    ];
  }

  /** Creates or replaces a route; refused (400, nothing stored) when it names an unknown provider. */
  put(model: string, definition: RouteDefinition, updatedBy: string): Promise<StoredRoute> {
    return this.exclusive(() => this.putNow(model, definition, updatedBy));
  }

  private async putNow(model: string, definition: RouteDefinition, updatedBy: string): Promise<StoredRoute> {
    const route: RouteConfig = { model, ...definition };
    const updatedAt = this.clock.now().toISOString();
    const next = [...this.stored.filter((entry) => entry.route.model !== model), { route, updatedAt, updatedBy }];
    this.applyOrRefuse(next.map((entry) => entry.route));
    const row = { model, definition: JSON.stringify(definition), updated_at: updatedAt, updated_by: updatedBy };
    await this.database.kysely
      .insertInto('routes')
      .values(row)
      .onConflict((conflict) => conflict.column('model').doUpdateSet({ definition: row.definition, updated_at: updatedAt, updated_by: updatedBy }))
      .execute();
    this.stored = next;
    await this.changes?.announce();
    return { route, source: 'admin', updatedAt, updatedBy };
  }

  /** Deletes a stored route; a route from modelmart.yaml cannot be deleted here. */
  remove(model: string): Promise<void> {
    return this.exclusive(() => this.removeNow(model));
  }

  private async removeNow(model: string): Promise<void> {
    if (!this.stored.some((entry) => entry.route.model === model)) {
      const inFile = this.options.fileRoutes.some((route) => route.model === model);
      throw inFile
        ? new ModelmartError(409, `The route '${model}' comes from the configuration file; change it there.`, { code: 'route_in_config_file' })
        : notFound(`No stored route named '${model}'.`, 'route_not_found');
    }
    const next = this.stored.filter((entry) => entry.route.model !== model);
    this.applyOrRefuse(next.map((entry) => entry.route));
    await this.database.kysely.deleteFrom('routes').where('model', '=', model).execute();
    this.stored = next;
    await this.changes?.announce();
  }

  private applyOrRefuse(routes: readonly RouteConfig[]): void {
    try {
      this.options.apply(routes);
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new ModelmartError(400, `Invalid route: ${error.problems.join('; ')}`, { code: 'invalid_route', param: 'targets' });
      }
      throw error;
    }
  }

  private reload(): Promise<void> {
    return this.exclusive(() => this.reloadNow());
  }

  private async reloadNow(): Promise<void> {
    const rows = await this.database.kysely.selectFrom('routes').selectAll().orderBy('model').execute();
    const loaded = rows.map((row) => ({
      route: routeSchema.parse({ model: row.model, ...(JSON.parse(row.definition) as object) }),
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    }));
    this.options.apply(loaded.map((entry) => entry.route));
    this.stored = loaded;
  }
}
