// Recovery after a crash: the reservations a crashed server left (recorded as interrupted requests
// at no cost) and the lease records of servers sharing counters in Redis (see
// billing-leased-counters.ts). Both live in the `reservations` table, told apart by request id.
import type { Database } from '../storage/index.js';
import { counterHoldListSchema, type LedgerRow, type ReservationRow } from './billing-metering-repository.js';

// Reservations taken per transaction while recovering.
const rowsPerBatch = 500;

export class ReservationRecoveryRepository {
  constructor(private readonly database: Database) {}

  private get kysely() {
    return this.database.kysely;
  }

  /**
   * A server's lease record (see billing-leased-counters.ts): one row in `reservations` named
   * `lease:<server>`, listing the counters it may hold on. It refreshes the row's age while it
   * lives; recovery takes rows older than the timeout and releases what the server held.
   * With `existing`, only an existing row is updated: false when it is gone.
   */
  async recordLease(serverId: string, keys: readonly string[], existing: boolean, now: string): Promise<boolean> {
    const list = JSON.stringify(keys.map((key) => ({ key, amount: 0 })));
    const requestId = leaseRequestId(serverId);
    if (existing) {
      const result = await this.kysely.updateTable('reservations').set({ budget_ids: list, created_at: now }).where('request_id', '=', requestId).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    }
    const row: ReservationRow = { request_id: requestId, organisation_id: '', project_id: '', key_id: '', model: '', amount: 0, currency: 'USD', budget_ids: list, server_id: serverId, created_at: now };
    await this.kysely
      .insertInto('reservations')
      .values(row)
      .onConflict((conflict) => conflict.column('request_id').doUpdateSet({ budget_ids: list, created_at: now }))
      .execute();
    return true;
  }

  async removeLease(serverId: string): Promise<void> {
    await this.kysely.deleteFrom('reservations').where('request_id', '=', leaseRequestId(serverId)).execute();
  }

  /** Takes the lease records older than `before` (each by one server only): whose leases to release, on which counters. */
  async recoverLeases(before: string): Promise<readonly { readonly serverId: string; readonly keys: readonly string[] }[]> {
    const taken = await this.kysely.deleteFrom('reservations').where('request_id', 'like', `${leasePrefix}%`).where('created_at', '<', before).returning(['server_id', 'budget_ids']).execute();
    return taken.map((row) => {
      const parsed = counterHoldListSchema.safeParse(JSON.parse(row.budget_ids));
      return { serverId: row.server_id, keys: parsed.success ? parsed.data.map((hold) => hold.key) : [] };
    });
  }

  /** Takes the reservations older than `before` (each taken by one server only), and records each as an interrupted request costing nothing. */
  async recoverReservations(before: string, now: string): Promise<readonly ReservationRow[]> {
    const recovered: ReservationRow[] = [];
    for (;;) {
      const candidates = await this.kysely
        .selectFrom('reservations')
        .selectAll()
        .where('created_at', '<', before)
        .where('request_id', 'not like', `${leasePrefix}%`)
        .orderBy('created_at')
        .limit(rowsPerBatch)
        .execute();
      if (candidates.length === 0) return recovered;
      const taken = await this.kysely.transaction().execute(async (transaction) => {
        const deleted = await transaction
          .deleteFrom('reservations')
          .where('request_id', 'in', candidates.map((row) => row.request_id))
          .returning('request_id')
          .execute();
        const ids = new Set(deleted.map((row) => row.request_id));
        const rows = candidates.filter((row) => ids.has(row.request_id));
        if (rows.length > 0) {
          await transaction
            .insertInto('usage_ledger')
            .values(rows.map((row) => interruptedLedgerRow(row, now)))
            .onConflict((conflict) => conflict.column('request_id').doNothing())
            .execute();
        }
        return rows;
      });
      recovered.push(...taken);
      if (candidates.length < rowsPerBatch) return recovered;
    }
  }
}

// Request ids are never like this, so lease records and reservations share the table without a migration.
const leasePrefix = 'lease:';

function leaseRequestId(serverId: string): string {
  return `${leasePrefix}${serverId}`;
}

function interruptedLedgerRow(row: ReservationRow, now: string): LedgerRow {
  return {
    request_id: row.request_id,
    organisation_id: row.organisation_id,
    project_id: row.project_id,
    key_id: row.key_id,
    user_id: null,
    model: row.model,
    provider: '',
    upstream_model: '',
    gpt_id: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    reasoning_tokens: 0,
    estimated: 0,
    price_model_id: null,
    price_effective_from: null,
    cost: 0,
    currency: row.currency,
    latency_ms: 0,
    time_to_first_token_ms: null,
    status: 'interrupted',
    error_code: 'reservation_timed_out',
    transaction_id: null,
    created_at: now,
    day: now.slice(0, 10),
  };
}
