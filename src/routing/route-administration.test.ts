import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { RouteConfig } from '../config/index.js';
import { openDatabase } from '../storage/index.js';
import { RouteAdministration } from './route-administration.js';

describe.each(testDatabaseTargets())('stored routes on $name', (target) => {
  it('reach a second server on the same database without a restart', async () => {
    const opened = await target.open();
    const elsewhere = await openDatabase(opened.options);
    const appliedHere: (readonly RouteConfig[])[] = [];
    const appliedThere: (readonly RouteConfig[])[] = [];
    const here = new RouteAdministration({ database: opened.database, fileRoutes: [], apply: (routes) => appliedHere.push(routes), pollMilliseconds: 20 });
    const there = new RouteAdministration({ database: elsewhere, fileRoutes: [], apply: (routes) => appliedThere.push(routes), pollMilliseconds: 20 });
    try {
      await here.start();
      await there.start();
      await here.put('chat-default', { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] }, 'key_admin');
      await expect.poll(() => appliedThere.at(-1)?.map((route) => route.model), { timeout: 3_000 }).toEqual(['chat-default']);
      expect(there.list()[0]).toMatchObject({ source: 'admin', updatedBy: 'key_admin' });
      await here.remove('chat-default');
      await expect.poll(() => appliedThere.at(-1)?.length, { timeout: 3_000 }).toBe(0);
    } finally {
      here.stop();
      there.stop();
      await elsewhere.close();
      await opened.dispose();
    }
  });
});
