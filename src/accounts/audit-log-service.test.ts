import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { Clock } from '../core/index.js';
import { ModelmartError } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { AuditLog } from './audit-log-service.js';

/** A clock that moves one second per reading, so entries have distinct, known times. */
function steppingClock(start: string): Clock {
  let next = new Date(start).getTime();
  return {
    now: () => {
      const now = new Date(next);
      next += 1_000;
      return now;
    },
    monotonicMilliseconds: () => next,
  };
}

describe.each(testDatabaseTargets())('audit log on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let auditLog: AuditLog;

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    auditLog = new AuditLog(database, steppingClock('2026-11-01T00:00:00.000Z'));
    // 25 entries at 00:00:00 … 00:00:24: keys by key_a in org_a, routes by key_b installation-wide.
    for (let index = 0; index < 25; index += 1) {
      const isKey = index % 2 === 0;
      await auditLog.record({
        organisationId: isKey ? 'org_a' : null,
        actorKeyId: isKey ? 'key_a' : 'key_b',
        actorUserId: isKey ? 'user_a' : null,
        action: isKey ? 'key.create' : index % 3 === 0 ? 'route.delete' : 'route.update',
        targetType: isKey ? 'api_key' : 'route',
        targetId: `target_${index}`,
        before: isKey ? null : { model: `target_${index}`, strategy: 'fallback' },
        after: { index },
        requestId: `req_${index}`,
      });
    }
  });
  afterAll(async () => dispose());

  it('pages through every entry newest first with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await auditLog.list({ limit: 7, ...(cursor === undefined ? {} : { cursor }) });
      pages += 1;
      seen.push(...page.data.map((entry) => entry.target_id));
      if (!page.hasMore) {
        expect(page.nextCursor).toBeNull();
        break;
      }
      cursor = page.nextCursor ?? undefined;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => `target_${24 - index}`));
  });

  it('keeps before, after and who in each entry', async () => {
    const page = await auditLog.list({ targetId: 'target_3' });
    expect(page.data).toEqual([
      expect.objectContaining({
        object: 'audit_log_entry',
        organisation_id: null,
        actor_key_id: 'key_b',
        actor_user_id: null,
        action: 'route.delete',
        target_type: 'route',
        before: { model: 'target_3', strategy: 'fallback' },
        after: { index: 3 },
        request_id: 'req_3',
        created_at: '2026-11-01T00:00:03.000Z',
      }),
    ]);
  });

  it('filters by organisation, actor (key or user), action or action prefix, target and time', async () => {
    expect((await auditLog.list({ organisationId: 'org_a', limit: 200 })).data).toHaveLength(13);
    expect((await auditLog.list({ actor: 'key_b', limit: 200 })).data).toHaveLength(12);
    expect((await auditLog.list({ actor: 'user_a', limit: 200 })).data).toHaveLength(13);
    expect((await auditLog.list({ action: 'route.delete', limit: 200 })).data.map((entry) => entry.target_id)).toEqual(['target_21', 'target_15', 'target_9', 'target_3']);
    expect((await auditLog.list({ action: 'route.*', limit: 200 })).data).toHaveLength(12);
    expect((await auditLog.list({ action: 'rout*', limit: 200 })).data).toHaveLength(12);
    expect((await auditLog.list({ targetType: 'api_key', limit: 200 })).data).toHaveLength(13);
    const window = await auditLog.list({ from: new Date('2026-11-01T00:00:05Z'), to: new Date('2026-11-01T00:00:08Z') });
    expect(window.data.map((entry) => entry.target_id)).toEqual(['target_7', 'target_6', 'target_5']);
    const combined = await auditLog.list({ organisationId: 'org_a', from: new Date('2026-11-01T00:00:20Z') });
    expect(combined.data.map((entry) => entry.target_id)).toEqual(['target_24', 'target_22', 'target_20']);
  });

  it('refuses a range that ends before it starts, and a cursor it did not make', async () => {
    const reversed = await auditLog.list({ from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') }).catch((error: unknown) => error);
    expect(reversed).toBeInstanceOf(ModelmartError);
    expect(reversed).toMatchObject({ status: 400, param: 'from' });
    const badCursor = await auditLog.list({ cursor: 'not-a-cursor' }).catch((error: unknown) => error);
    expect(badCursor).toMatchObject({ status: 400, param: 'cursor', code: 'invalid_cursor' });
  });

  it('never stores a secret: keys, hashes, API keys and credentials are redacted wherever they sit', async () => {
    const wholeKey = `mm-${'A'.repeat(43)}`;
    const entry = await auditLog.record({
      actorKeyId: 'key_a',
      action: 'key.create',
      targetType: 'api_key',
      targetId: 'key_secret',
      after: {
        id: 'key_secret',
        display_hint: 'mm-AAAA…AAAA',
        key: wholeKey,
        key_hash: 'abc123',
        nested: { apiKey: 'sk-upstream-1', api_key: 'sk-upstream-2', credential: { value: 'x' }, clientSecret: 's', note: wholeKey },
        list: [{ password: 'p' }],
      },
    });
    expect(entry.after).toEqual({
      id: 'key_secret',
      display_hint: 'mm-AAAA…AAAA',
      key: '[redacted]',
      key_hash: '[redacted]',
      nested: { apiKey: '[redacted]', api_key: '[redacted]', credential: '[redacted]', clientSecret: '[redacted]', note: '[redacted]' },
      list: [{ password: '[redacted]' }],
    });
    const rows = await database.kysely.selectFrom('audit_log').selectAll().where('target_id', '=', 'key_secret').execute();
    const stored = JSON.stringify(rows);
    for (const secret of [wholeKey, 'abc123', 'sk-upstream-1', 'sk-upstream-2']) expect(stored).not.toContain(secret);
  });
});
