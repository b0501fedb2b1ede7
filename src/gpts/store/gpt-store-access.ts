// Who may see which GPT in the store, and the lookups every store part shares: a GPT by slug as a
// caller may see it, the rater id of a principal, opaque cursors, and counts read back from
// either dialect (PostgreSQL returns bigint aggregates as text).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { z } from 'zod';
import { mayManageOrganisation, type Actor, type Principal } from '../../accounts/index.js';
import { invalidRequest, notFound, permissionDenied } from '../../core/index.js';
import type { Database, DatabaseSchema } from '../../storage/index.js';

/** How the ledger names a GPT call's first model step (`<request id>.s1`): one row of it per call. */
export const firstStepPattern = '%.s1';

export type StoreKysely = Database['kysely'];
export type GptRow = DatabaseSchema['gpts'];
type GptsExpressions = ExpressionBuilder<DatabaseSchema, 'gpts'>;

/** Ratings and reports are per person: the user behind the key, or the key itself when it has none. */
export function raterIdOf(principal: Principal): string {
  return principal.userId ?? `key:${principal.keyId}`;
}

export function gptNotFound(slug: string) {
  return notFound(`No GPT with slug ${JSON.stringify(slug)}.`, 'gpt_not_found', 'slug');
}

/** Published, not hidden by moderation, not deleted: the GPTs a store shows at all. */
export function listedInStore(eb: GptsExpressions): Expression<SqlBool> {
  return eb.and([eb('gpts.latest_version', 'is not', null), eb('gpts.hidden_at', 'is', null), eb('gpts.deleted_at', 'is', null)]);
}

function ownedBy(eb: GptsExpressions, principal: Principal): Expression<SqlBool> {
  const creator = [eb('gpts.creator_key_id', '=', principal.keyId)];
  if (principal.userId !== null) creator.push(eb('gpts.creator_user_id', '=', principal.userId));
  return eb.and([eb('gpts.organisation_id', '=', principal.organisationId), eb.or(creator)]);
}

/** Listings: public GPTs, and for a caller with a key its organisation's 'organisation' GPTs and its own. */
export function listableTo(eb: GptsExpressions, principal: Principal | undefined): Expression<SqlBool> {
  if (principal === undefined) return eb('gpts.visibility', '=', 'public');
  return eb.or([
    eb('gpts.visibility', '=', 'public'),
    eb.and([eb('gpts.visibility', '=', 'organisation'), eb('gpts.organisation_id', '=', principal.organisationId)]),
    ownedBy(eb, principal),
  ]);
}

/** One GPT by slug: what listings show, plus 'link' GPTs (anyone who has the slug). */
export function viewableTo(eb: GptsExpressions, principal: Principal | undefined): Expression<SqlBool> {
  if (principal?.role === 'admin') return eb.lit(true);
  return eb.or([eb('gpts.visibility', '=', 'link'), listableTo(eb, principal)]);
}

/** A GPT is named by its slug or, like everywhere else in the API, by its id (`gpt_…`). */
function namedBy(eb: GptsExpressions, reference: string): Expression<SqlBool> {
  return reference.startsWith('gpt_') ? eb.or([eb('gpts.slug', '=', reference), eb('gpts.id', '=', reference)]) : eb('gpts.slug', '=', reference);
}

/** A GPT the caller may see in the store (published, not hidden); 404 `gpt_not_found` otherwise, whoever owns it. */
export async function findViewableGpt(kysely: StoreKysely, slug: string, principal: Principal | undefined): Promise<GptRow> {
  const row = await kysely
    .selectFrom('gpts')
    .selectAll()
    .where((eb) => eb.and([namedBy(eb, slug), listedInStore(eb), viewableTo(eb, principal)]))
    .executeTakeFirst();
  if (row === undefined) throw gptNotFound(slug);
  return row;
}

/** Its organisation's owners and admins, its creator, and installation admins may see a GPT's numbers. */
export function isEditorOf(gpt: GptRow, principal: Principal): boolean {
  if (principal.role === 'admin') return true;
  if (principal.organisationId !== gpt.organisation_id) return false;
  if (mayManageOrganisation(principal)) return true;
  return gpt.creator_key_id === principal.keyId || (principal.userId !== null && gpt.creator_user_id === principal.userId);
}

/** Only installation admins moderate the store. */
export function requireInstallationAdminActor(actor: Actor, what: string): void {
  if (actor.role !== 'admin') throw permissionDenied(`Only an installation admin key may ${what}.`);
}

/** Any GPT not deleted, hidden ones included (moderation and creators' stats see them). */
export async function findGptBySlug(kysely: StoreKysely, slug: string): Promise<GptRow | undefined> {
  return kysely.selectFrom('gpts').selectAll().where((eb) => namedBy(eb, slug)).where('deleted_at', 'is', null).executeTakeFirst();
}

export function toCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(value);
}

/** Escapes LIKE wildcards; queries use `escape '\'`. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function lowerContains(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${likePattern(text)} escape '\\'`;
}

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function invalidCursor() {
  return invalidRequest('Invalid cursor: pass the next_cursor of a previous page unchanged, with the same sort.', 'cursor', 'invalid_cursor');
}

/** Reads a cursor made by encodeCursor with the given shape; 400 naming `cursor` otherwise. */
export function decodeCursor<Shape extends z.ZodType>(cursor: string, shape: Shape): z.infer<Shape> {
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor();
  }
}

export function averageOf(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round((sum / count) * 100) / 100;
}
