// The usage ledger's batch insert, the costliest statement of a settlement batch, written
// without the query builder for each dialect: answers the request ids whose rows are new (a
// request settled again keeps its first row: the ledger is idempotent).
import { CompiledQuery, sql } from 'kysely';
import type { Database, DialectName } from '../storage/index.js';
import type { LedgerRow } from './billing-metering-repository.js';

// The ledger's columns, in the order the batch inserts bind them.
const ledgerColumns: readonly (keyof LedgerRow)[] = [
  'request_id', 'organisation_id', 'project_id', 'key_id', 'user_id', 'model', 'provider', 'upstream_model', 'gpt_id',
  'prompt_tokens', 'completion_tokens', 'cached_tokens', 'reasoning_tokens', 'estimated', 'price_model_id', 'price_effective_from',
  'cost', 'currency', 'latency_ms', 'time_to_first_token_ms', 'status', 'error_code', 'transaction_id', 'created_at', 'day',
];
const ledgerColumnNames = ledgerColumns.join(', ');
const ledgerColumnList = sql.raw(ledgerColumnNames);

type InsertedRequest = { readonly request_id: string };

// SQLite: a batch goes in as chunks of 2^k rows (256, 128, …, 1), whose statement texts are built
// once and which the driver's statement cache keeps compiled: a statement per batch size had a
// new text for nearly every batch, compiled each time (about as costly as a row's insert), and
// filled the cache. The query builder before it made a node per value on every batch.
const sqliteLedgerInserts = new Map<number, { readonly plain: string; readonly returning: string }>();

function sqliteLedgerInsert(rowCount: number): { readonly plain: string; readonly returning: string } {
  let texts = sqliteLedgerInserts.get(rowCount);
  if (texts === undefined) {
    const row = `(${ledgerColumns.map(() => '?').join(', ')})`;
    const plain = `insert into usage_ledger (${ledgerColumnNames}) values ${new Array<string>(rowCount).fill(row).join(', ')} on conflict (request_id) do nothing`;
    texts = { plain, returning: `${plain} returning request_id` };
    sqliteLedgerInserts.set(rowCount, texts);
  }
  return texts;
}

/** The largest power of two not above `count` (count ≥ 1). */
function chunkSize(count: number): number {
  let size = 1;
  while (size * 2 <= count) size *= 2;
  return size;
}

const savepoint = CompiledQuery.raw('savepoint ledger_rows');
const releaseSavepoint = CompiledQuery.raw('release ledger_rows');
const rollbackToSavepoint = CompiledQuery.raw('rollback to ledger_rows');

/**
 * SQLite: the rows' values bound in column order, chunk by chunk; answers the request ids whose
 * rows are new. RETURNING costs SQLite about a fifth of the insert (measured 1.3 µs a row), and
 * nearly always every row is new: the plain inserts' count of changes says so. When it does not
 * (a request settled again), the batch is undone to a savepoint and inserted with RETURNING.
 */
async function insertLedgerByRows(transaction: Database['kysely'], rows: readonly LedgerRow[]): Promise<readonly string[]> {
  const parameters = new Array<unknown>(rows.length * ledgerColumns.length);
  let index = 0;
  for (const row of rows) for (const name of ledgerColumns) parameters[index++] = row[name] ?? null;
  const chunkParameters = (start: number, size: number): unknown[] => parameters.slice(start * ledgerColumns.length, (start + size) * ledgerColumns.length);
  await transaction.executeQuery(savepoint);
  let inserted = 0n;
  for (let start = 0; start < rows.length; ) {
    const size = chunkSize(rows.length - start);
    const result = await transaction.executeQuery(CompiledQuery.raw(sqliteLedgerInsert(size).plain, chunkParameters(start, size)));
    inserted += result.numAffectedRows ?? 0n;
    start += size;
  }
  if (inserted === BigInt(rows.length)) {
    await transaction.executeQuery(releaseSavepoint);
    return rows.map((row) => row.request_id);
  }
  await transaction.executeQuery(rollbackToSavepoint);
  await transaction.executeQuery(releaseSavepoint);
  const newRows: string[] = [];
  for (let start = 0; start < rows.length; ) {
    const size = chunkSize(rows.length - start);
    // The statement's RETURNING clause gives exactly these rows; the raw query is not typed by Kysely.
    const result = await transaction.executeQuery(CompiledQuery.raw(sqliteLedgerInsert(size).returning, chunkParameters(start, size)) as CompiledQuery<InsertedRequest>);
    for (const row of result.rows) newRows.push(row.request_id);
    start += size;
  }
  return newRows;
}

/**
 * PostgreSQL: the batch as one JSON parameter, spread into rows of the ledger's own type, so a
 * batch's statement has the same short text whatever its size. JSON.stringify runs natively;
 * one array per column (unnest) cost the driver an escaping pass over every value (measured:
 * about 1 to 3 µs less client CPU per row).
 */
async function insertLedgerAsJson(transaction: Database['kysely'], rows: readonly LedgerRow[]): Promise<readonly string[]> {
  const result = await sql<InsertedRequest>`insert into usage_ledger (${ledgerColumnList}) select ${ledgerColumnList} from json_populate_recordset(null::usage_ledger, ${JSON.stringify(rows)}::json) on conflict (request_id) do nothing returning request_id`.execute(transaction);
  return result.rows.map((row) => row.request_id);
}

/** Inserts a batch's ledger rows (ON CONFLICT DO NOTHING) inside the batch's transaction; answers the request ids of the new rows. */
export async function insertLedgerRows(transaction: Database['kysely'], dialect: DialectName, rows: readonly LedgerRow[]): Promise<readonly string[]> {
  return dialect === 'postgres' ? insertLedgerAsJson(transaction, rows) : insertLedgerByRows(transaction, rows);
}
