// Organisations, projects, users and memberships in the database (dialect-neutral Kysely queries).
// Every read that serves an organisation-scoped caller takes the organisation id as a filter.
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema } from '../storage/index.js';

export type OrganisationRow = Selectable<DatabaseSchema['organisations']>;
export type ProjectRow = Selectable<DatabaseSchema['projects']>;
export type UserRow = Selectable<DatabaseSchema['users']>;
export type MembershipRow = Selectable<DatabaseSchema['memberships']>;
export type MemberRow = UserRow & { readonly role: string; readonly organisation_id: string; readonly joined_at: string };

export interface LimitColumns {
  readonly requests_per_minute?: number | null;
  readonly tokens_per_minute?: number | null;
}

export class TenancyRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async insertOrganisation(row: OrganisationRow): Promise<void> {
    await this.kysely.insertInto('organisations').values(row).execute();
  }

  async findOrganisation(id: string): Promise<OrganisationRow | undefined> {
    return this.kysely.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findOrganisationBySlug(slug: string): Promise<OrganisationRow | undefined> {
    return this.kysely.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  /** Every organisation, or only the one given. */
  async listOrganisations(onlyId: string | undefined, includeArchived: boolean): Promise<OrganisationRow[]> {
    let query = this.kysely.selectFrom('organisations').selectAll().orderBy('created_at').orderBy('id');
    if (onlyId !== undefined) query = query.where('id', '=', onlyId);
    if (!includeArchived) query = query.where('archived_at', 'is', null);
    return query.execute();
  }

  async updateOrganisation(id: string, changes: LimitColumns & { readonly name?: string; readonly archived_at?: string | null }): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.kysely.updateTable('organisations').set(changes).where('id', '=', id).execute();
  }

  async insertProject(row: ProjectRow): Promise<void> {
    await this.kysely.insertInto('projects').values(row).execute();
  }

  /** The project only when it belongs to the organisation: another tenant's id finds nothing. */
  async findProject(organisationId: string, id: string): Promise<ProjectRow | undefined> {
    return this.kysely.selectFrom('projects').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  }

  async listProjects(organisationId: string, includeArchived: boolean): Promise<ProjectRow[]> {
    let query = this.kysely.selectFrom('projects').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at').orderBy('id');
    if (!includeArchived) query = query.where('archived_at', 'is', null);
    return query.execute();
  }

  async updateProject(organisationId: string, id: string, changes: LimitColumns & { readonly name?: string; readonly archived_at?: string | null }): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.kysely.updateTable('projects').set(changes).where('organisation_id', '=', organisationId).where('id', '=', id).execute();
  }

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async insertUser(row: UserRow): Promise<void> {
    await this.kysely.insertInto('users').values(row).onConflict((conflict) => conflict.column('email').doNothing()).execute();
  }

  async insertMembership(row: MembershipRow): Promise<boolean> {
    const result = await this.kysely
      .insertInto('memberships')
      .values(row)
      .onConflict((conflict) => conflict.columns(['user_id', 'organisation_id']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async findMember(organisationId: string, userId: string): Promise<MemberRow | undefined> {
    return this.members(organisationId).where('users.id', '=', userId).executeTakeFirst();
  }

  async listMembers(organisationId: string): Promise<MemberRow[]> {
    return this.members(organisationId).orderBy('memberships.created_at').orderBy('users.id').execute();
  }

  private members(organisationId: string) {
    return this.kysely
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.email', 'users.name', 'users.created_at', 'memberships.role', 'memberships.organisation_id', 'memberships.created_at as joined_at'])
      .where('memberships.organisation_id', '=', organisationId);
  }

  async updateMemberRole(organisationId: string, userId: string, role: string): Promise<void> {
    await this.kysely.updateTable('memberships').set({ role }).where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
  }

  async deleteMembership(organisationId: string, userId: string): Promise<void> {
    await this.kysely.deleteFrom('memberships').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
  }

  async countOwners(organisationId: string): Promise<number> {
    const row = await this.kysely
      .selectFrom('memberships')
      .select((expression) => expression.fn.countAll().as('count'))
      .where('organisation_id', '=', organisationId)
      .where('role', '=', 'owner')
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }
}
