// Web sessions in the database (dialect-neutral Kysely queries). A session is always read
// together with the key it was opened with, so one query tells whether both are still usable.
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema } from '../storage/index.js';
import { principalTenancyColumns, type AuthenticationRow } from './api-key-repository.js';

export type WebSessionRow = Selectable<DatabaseSchema['web_sessions']>;

/** The key's authentication row plus the session's own columns (prefixed so none clashes with the key's). */
export type SessionAuthenticationRow = AuthenticationRow & {
  readonly session_id: string;
  readonly session_csrf_token: string;
  readonly session_last_seen_at: string;
  readonly session_expires_at: string;
  readonly session_revoked_at: string | null;
};

export class WebSessionRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async insert(row: WebSessionRow): Promise<void> {
    await this.kysely.insertInto('web_sessions').values(row).execute();
  }

  async findForAuthentication(tokenHash: string): Promise<SessionAuthenticationRow | undefined> {
    return this.kysely
      .selectFrom('web_sessions')
      .innerJoin('api_keys', 'api_keys.id', 'web_sessions.api_key_id')
      .leftJoin('projects', 'projects.id', 'api_keys.project_id')
      .leftJoin('organisations', 'organisations.id', 'api_keys.organisation_id')
      .leftJoin('memberships', (join) => join.onRef('memberships.user_id', '=', 'api_keys.user_id').onRef('memberships.organisation_id', '=', 'api_keys.organisation_id'))
      .selectAll('api_keys')
      .select([
        ...principalTenancyColumns,
        'web_sessions.id as session_id',
        'web_sessions.csrf_token as session_csrf_token',
        'web_sessions.last_seen_at as session_last_seen_at',
        'web_sessions.expires_at as session_expires_at',
        'web_sessions.revoked_at as session_revoked_at',
      ])
      .where('web_sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touch(sessionId: string, seenAt: string): Promise<void> {
    await this.kysely.updateTable('web_sessions').set({ last_seen_at: seenAt }).where('id', '=', sessionId).execute();
  }

  async revoke(sessionId: string, revokedAt: string): Promise<void> {
    await this.kysely.updateTable('web_sessions').set({ revoked_at: revokedAt }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
  }

  /** Deletes sessions past their absolute end, idle since before the cut-off, or revoked; returns how many. */
  async deleteEnded(now: string, idleCutoff: string): Promise<number> {
    const result = await this.kysely
      .deleteFrom('web_sessions')
      .where((where) => where.or([where('expires_at', '<=', now), where('last_seen_at', '<=', idleCutoff), where('revoked_at', 'is not', null)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
