// Organisations (tenants), their projects and their members. Every method takes the acting
// principal: installation admins reach every organisation, an organisation's owners and admins
// reach only their own, and any other organisation's ids answer 404 as if they did not exist.
import type { z } from 'zod';
import { conflict, invalidRequest, newId, notFound, permissionDenied, systemClock, type Clock } from '../core/index.js';
import { zodErrorToModelmartError } from '../api/index.js';
import type { Database } from '../storage/index.js';
import type { ApiKeyService } from './api-key-service.js';
import {
  addMemberInputSchema,
  createOrganisationInputSchema,
  createProjectInputSchema,
  slugFromName,
  toMemberRecord,
  toOrganisationRecord,
  toProjectRecord,
  updateMemberInputSchema,
  updateOrganisationInputSchema,
  updateProjectInputSchema,
  type AddMemberInput,
  type CreateOrganisationInput,
  type CreateProjectInput,
  type MemberRecord,
  type OrganisationRecord,
  type ProjectRecord,
  type UpdateMemberInput,
  type UpdateOrganisationInput,
  type UpdateProjectInput,
} from './organisation-records.js';
import {
  defaultOrganisationId,
  ensureOrganisationVisible,
  isInstallationAdmin,
  organisationNotFound,
  requireInstallationAdmin,
  requireOrganisationManager,
  type Actor,
} from './principal.js';
import { TenancyRepository, type OrganisationRow } from './tenancy-repository.js';

function parseInput<Output>(schema: z.ZodType<Output, unknown>, input: unknown): Output {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodErrorToModelmartError(parsed.error);
  return parsed.data;
}

export class OrganisationService {
  private readonly repository: TenancyRepository;

  constructor(
    database: Database,
    /** Told about every change a cached principal carries (limits, roles, archiving). */
    private readonly apiKeys: ApiKeyService,
    private readonly clock: Clock = systemClock,
  ) {
    this.repository = new TenancyRepository(database.kysely);
  }

  async createOrganisation(input: CreateOrganisationInput, actor: Actor): Promise<OrganisationRecord> {
    const request = parseInput(createOrganisationInputSchema, input);
    requireInstallationAdmin(actor, 'create organisations');
    const slug = request.slug ?? slugFromName(request.name);
    if ((await this.repository.findOrganisationBySlug(slug)) !== undefined) throw conflict(`The slug ${JSON.stringify(slug)} is taken; choose another.`, 'slug_taken');
    const now = this.clock.now().toISOString();
    const row: OrganisationRow = {
      id: newId('org'),
      name: request.name,
      slug,
      requests_per_minute: request.requests_per_minute ?? null,
      tokens_per_minute: request.tokens_per_minute ?? null,
      created_at: now,
      archived_at: null,
    };
    await this.repository.insertOrganisation(row).catch(async (error: unknown) => {
      if ((await this.repository.findOrganisationBySlug(slug)) !== undefined) throw conflict(`The slug ${JSON.stringify(slug)} is taken; choose another.`, 'slug_taken');
      throw error;
    });
    // Every organisation starts with a project, so a key can be created without naming one.
    await this.repository.insertProject({ id: newId('proj'), organisation_id: row.id, name: 'Default project', requests_per_minute: null, tokens_per_minute: null, created_at: now, archived_at: null });
    return toOrganisationRecord(row);
  }

  async listOrganisations(options: { readonly includeArchived?: boolean }, actor: Actor): Promise<OrganisationRecord[]> {
    requireOrganisationManager(actor);
    const only = isInstallationAdmin(actor) ? undefined : actor.organisationId;
    return (await this.repository.listOrganisations(only, options.includeArchived ?? false)).map(toOrganisationRecord);
  }

  async getOrganisation(id: string, actor: Actor): Promise<OrganisationRecord> {
    return toOrganisationRecord(await this.visibleOrganisation(id, actor));
  }

  async updateOrganisation(id: string, input: UpdateOrganisationInput, actor: Actor): Promise<OrganisationRecord> {
    const request = parseInput(updateOrganisationInputSchema, input);
    await this.visibleOrganisation(id, actor);
    // An organisation's own managers may rename it; its limits and its existence are the installation's to set.
    if (request.requests_per_minute !== undefined || request.tokens_per_minute !== undefined) requireInstallationAdmin(actor, "change an organisation's rate limits");
    if (request.archived !== undefined) {
      requireInstallationAdmin(actor, 'archive or restore an organisation');
      if (id === defaultOrganisationId && request.archived) throw invalidRequest('The default organisation cannot be archived.', 'archived');
    }
    await this.repository.updateOrganisation(id, {
      ...(request.name === undefined ? {} : { name: request.name }),
      ...(request.requests_per_minute === undefined ? {} : { requests_per_minute: request.requests_per_minute }),
      ...(request.tokens_per_minute === undefined ? {} : { tokens_per_minute: request.tokens_per_minute }),
      ...(request.archived === undefined ? {} : { archived_at: request.archived ? this.clock.now().toISOString() : null }),
    });
    await this.apiKeys.principalsChanged();
    return this.getOrganisation(id, actor);
  }

  async createProject(organisationId: string, input: CreateProjectInput, actor: Actor): Promise<ProjectRecord> {
    const request = parseInput(createProjectInputSchema, input);
    const organisation = await this.visibleOrganisation(organisationId, actor);
    if (organisation.archived_at !== null) throw invalidRequest(`Organisation ${organisationId} is archived.`, 'organisation_id');
    const row = {
      id: newId('proj'),
      organisation_id: organisationId,
      name: request.name,
      requests_per_minute: request.requests_per_minute ?? null,
      tokens_per_minute: request.tokens_per_minute ?? null,
      created_at: this.clock.now().toISOString(),
      archived_at: null,
    };
    await this.repository.insertProject(row);
    return toProjectRecord(row);
  }

  async listProjects(organisationId: string, options: { readonly includeArchived?: boolean }, actor: Actor): Promise<ProjectRecord[]> {
    await this.visibleOrganisation(organisationId, actor);
    return (await this.repository.listProjects(organisationId, options.includeArchived ?? false)).map(toProjectRecord);
  }

  async getProject(organisationId: string, projectId: string, actor: Actor): Promise<ProjectRecord> {
    await this.visibleOrganisation(organisationId, actor);
    const row = await this.repository.findProject(organisationId, projectId);
    if (row === undefined) throw notFound(`No project with id ${JSON.stringify(projectId)} in organisation ${organisationId}.`, 'project_not_found', 'project_id');
    return toProjectRecord(row);
  }

  async updateProject(organisationId: string, projectId: string, input: UpdateProjectInput, actor: Actor): Promise<ProjectRecord> {
    const request = parseInput(updateProjectInputSchema, input);
    await this.getProject(organisationId, projectId, actor);
    await this.repository.updateProject(organisationId, projectId, {
      ...(request.name === undefined ? {} : { name: request.name }),
      ...(request.requests_per_minute === undefined ? {} : { requests_per_minute: request.requests_per_minute }),
      ...(request.tokens_per_minute === undefined ? {} : { tokens_per_minute: request.tokens_per_minute }),
      ...(request.archived === undefined ? {} : { archived_at: request.archived ? this.clock.now().toISOString() : null }),
    });
    await this.apiKeys.principalsChanged();
    return this.getProject(organisationId, projectId, actor);
  }

  /** Adds a user (created on first use of the email) to the organisation with a role. */
  async addMember(organisationId: string, input: AddMemberInput, actor: Actor): Promise<MemberRecord> {
    const request = parseInput(addMemberInputSchema, input);
    await this.visibleOrganisation(organisationId, actor);
    this.requireMayGrant(request.role, actor);
    const now = this.clock.now().toISOString();
    await this.repository.insertUser({ id: newId('user'), email: request.email, name: request.name ?? null, created_at: now });
    const user = await this.repository.findUserByEmail(request.email);
    if (user === undefined) throw new Error(`the user ${request.email} could not be stored`);
    const added = await this.repository.insertMembership({ user_id: user.id, organisation_id: organisationId, role: request.role, created_at: now });
    if (!added) throw conflict(`${request.email} is already a member of organisation ${organisationId}; change the role with PATCH.`, 'member_exists');
    return this.getMember(organisationId, user.id, actor);
  }

  async listMembers(organisationId: string, actor: Actor): Promise<MemberRecord[]> {
    await this.visibleOrganisation(organisationId, actor);
    return (await this.repository.listMembers(organisationId)).map(toMemberRecord);
  }

  async getMember(organisationId: string, userId: string, actor: Actor): Promise<MemberRecord> {
    await this.visibleOrganisation(organisationId, actor);
    const row = await this.repository.findMember(organisationId, userId);
    if (row === undefined) throw notFound(`No user with id ${JSON.stringify(userId)} in organisation ${organisationId}.`, 'user_not_found', 'user_id');
    return toMemberRecord(row);
  }

  async updateMember(organisationId: string, userId: string, input: UpdateMemberInput, actor: Actor): Promise<MemberRecord> {
    const request = parseInput(updateMemberInputSchema, input);
    const member = await this.getMember(organisationId, userId, actor);
    this.requireMayGrant(request.role, actor);
    if (member.role === 'owner') this.requireMayGrant('owner', actor);
    if (member.role === 'owner' && request.role !== 'owner') await this.keepAnOwner(organisationId);
    await this.repository.updateMemberRole(organisationId, userId, request.role);
    await this.apiKeys.principalsChanged();
    return this.getMember(organisationId, userId, actor);
  }

  async removeMember(organisationId: string, userId: string, actor: Actor): Promise<MemberRecord> {
    const member = await this.getMember(organisationId, userId, actor);
    if (member.role === 'owner') {
      this.requireMayGrant('owner', actor);
      await this.keepAnOwner(organisationId);
    }
    await this.repository.deleteMembership(organisationId, userId);
    await this.apiKeys.principalsChanged();
    return member;
  }

  private async keepAnOwner(organisationId: string): Promise<void> {
    if ((await this.repository.countOwners(organisationId)) <= 1) throw conflict(`That would leave organisation ${organisationId} without an owner.`, 'last_owner');
  }

  /** Owners are made only by owners (or installation admins), so an admin cannot promote anyone above itself. */
  private requireMayGrant(role: string, actor: Actor): void {
    if (role === 'owner' && !isInstallationAdmin(actor) && actor.organisationRole !== 'owner') throw permissionDenied('Only an owner may grant or take away the owner role.');
  }

  private async visibleOrganisation(id: string, actor: Actor): Promise<OrganisationRow> {
    requireOrganisationManager(actor);
    ensureOrganisationVisible(actor, id);
    const row = await this.repository.findOrganisation(id);
    if (row === undefined) throw organisationNotFound(id);
    return row;
  }
}
