// The SQL of GPT definitions: rows of gpts and gpt_versions, read and written with Kysely, the
// same statements on SQLite and PostgreSQL.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DatabaseSchema } from '../../storage/index.js';

export type GptRow = Selectable<DatabaseSchema['gpts']>;
export type GptVersionRow = Selectable<DatabaseSchema['gpt_versions']>;

/** What the resolver re-reads on every call: cheap, one indexed row. */
export type GptAccessRow = Pick<GptRow, 'id' | 'slug' | 'organisation_id' | 'creator_key_id' | 'creator_user_id' | 'visibility' | 'latest_version' | 'hidden_at' | 'deleted_at'>;

export class GptRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  /** By slug or, for references starting with `gpt_`, by id; deleted rows too (their slug stays taken). */
  async find(reference: string): Promise<GptRow | undefined> {
    const column = reference.startsWith('gpt_') ? 'id' : 'slug';
    return this.kysely.selectFrom('gpts').selectAll().where(column, '=', reference).executeTakeFirst();
  }

  async findAccess(slug: string): Promise<GptAccessRow | undefined> {
    return this.kysely
      .selectFrom('gpts')
      .select(['id', 'slug', 'organisation_id', 'creator_key_id', 'creator_user_id', 'visibility', 'latest_version', 'hidden_at', 'deleted_at'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  async slugTaken(slug: string): Promise<boolean> {
    const row = await this.kysely.selectFrom('gpts').select('id').where('slug', '=', slug).executeTakeFirst();
    return row !== undefined;
  }

  async countLiveInOrganisation(organisationId: string): Promise<number> {
    const row = await this.kysely
      .selectFrom('gpts')
      .select((builder) => builder.fn.countAll<number | string>().as('count'))
      .where('organisation_id', '=', organisationId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insert(row: Insertable<DatabaseSchema['gpts']>): Promise<void> {
    await this.kysely.insertInto('gpts').values(row).execute();
  }

  async update(id: string, changes: Updateable<DatabaseSchema['gpts']>): Promise<void> {
    await this.kysely.updateTable('gpts').set(changes).where('id', '=', id).execute();
  }

  /** Live GPTs, newest first; only one organisation's when given. */
  async listLive(organisationId: string | undefined): Promise<GptRow[]> {
    let query = this.kysely.selectFrom('gpts').selectAll().where('deleted_at', 'is', null);
    if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  }

  /**
   * Appends the next version and moves the GPT's pointer in one transaction. The pointer moves
   * only from the version read before, so two publishings at once cannot both take a number:
   * the loser gets false and nothing is written.
   */
  async appendVersion(gptId: string, previousVersion: number | null, version: GptVersionRow, updatedAt: string): Promise<boolean> {
    return this.kysely.transaction().execute(async (transaction) => {
      const moved = await transaction
        .updateTable('gpts')
        .set({ latest_version: version.version, published_at: version.published_at, updated_at: updatedAt })
        .where('id', '=', gptId)
        .where('latest_version', previousVersion === null ? 'is' : '=', previousVersion)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      await transaction.insertInto('gpt_versions').values(version).execute();
      return true;
    });
  }

  async listVersions(gptId: string): Promise<Pick<GptVersionRow, 'version' | 'published_at' | 'published_by_key_id'>[]> {
    return this.kysely
      .selectFrom('gpt_versions')
      .select(['version', 'published_at', 'published_by_key_id'])
      .where('gpt_id', '=', gptId)
      .orderBy('version', 'desc')
      .execute();
  }

  async findVersion(gptId: string, version: number): Promise<GptVersionRow | undefined> {
    return this.kysely.selectFrom('gpt_versions').selectAll().where('gpt_id', '=', gptId).where('version', '=', version).executeTakeFirst();
  }
}
