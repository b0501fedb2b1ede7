// /admin/v1/organisations: organisations, their projects and their users. Thin: each route parses
// and calls OrganisationService with the caller, which scopes every read and change to it.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  addMemberInputSchema,
  createOrganisationInputSchema,
  createProjectInputSchema,
  updateMemberInputSchema,
  updateOrganisationInputSchema,
  updateProjectInputSchema,
  type OrganisationService,
} from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

const listQuerySchema = z.object({ include_archived: z.enum(['true', 'false']).optional() });

type OrganisationParams = { Params: { id: string } };
type ProjectParams = { Params: { id: string; projectId: string } };
type UserParams = { Params: { id: string; userId: string } };

const list = <Item>(type: string, items: readonly Item[]) => ({ object: 'list', data: items.map((item) => ({ object: type, ...item })) });

export function registerAdminOrganisationRoutes(app: FastifyInstance, organisations: OrganisationService): void {
  app.post('/admin/v1/organisations', async (request, reply) => {
    const created = await organisations.createOrganisation(parseBody(createOrganisationInputSchema, request.body), requirePrincipal(request));
    await recordAdminChange(request, { action: 'organisation.create', targetType: 'organisation', targetId: created.id, after: created, organisationId: created.id });
    return reply.code(201).send({ object: 'organisation', ...created });
  });

  app.get('/admin/v1/organisations', async (request) => {
    const query = parseBody(listQuerySchema, request.query);
    return list('organisation', await organisations.listOrganisations({ includeArchived: query.include_archived === 'true' }, requirePrincipal(request)));
  });

  app.get<OrganisationParams>('/admin/v1/organisations/:id', async (request) => ({
    object: 'organisation',
    ...(await organisations.getOrganisation(request.params.id, requirePrincipal(request))),
  }));

  app.patch<OrganisationParams>('/admin/v1/organisations/:id', async (request) => {
    const principal = requirePrincipal(request);
    const changes = parseBody(updateOrganisationInputSchema, request.body);
    const before = await organisations.getOrganisation(request.params.id, principal);
    const after = await organisations.updateOrganisation(request.params.id, changes, principal);
    await recordAdminChange(request, { action: 'organisation.update', targetType: 'organisation', targetId: after.id, before, after, organisationId: after.id });
    return { object: 'organisation', ...after };
  });

  app.post<OrganisationParams>('/admin/v1/organisations/:id/projects', async (request, reply) => {
    const created = await organisations.createProject(request.params.id, parseBody(createProjectInputSchema, request.body), requirePrincipal(request));
    await recordAdminChange(request, { action: 'project.create', targetType: 'project', targetId: created.id, after: created, organisationId: created.organisation_id });
    return reply.code(201).send({ object: 'project', ...created });
  });

  app.get<OrganisationParams>('/admin/v1/organisations/:id/projects', async (request) => {
    const query = parseBody(listQuerySchema, request.query);
    return list('project', await organisations.listProjects(request.params.id, { includeArchived: query.include_archived === 'true' }, requirePrincipal(request)));
  });

  app.get<ProjectParams>('/admin/v1/organisations/:id/projects/:projectId', async (request) => ({
    object: 'project',
    ...(await organisations.getProject(request.params.id, request.params.projectId, requirePrincipal(request))),
  }));

  app.patch<ProjectParams>('/admin/v1/organisations/:id/projects/:projectId', async (request) => {
    const principal = requirePrincipal(request);
    const changes = parseBody(updateProjectInputSchema, request.body);
    const before = await organisations.getProject(request.params.id, request.params.projectId, principal);
    const after = await organisations.updateProject(request.params.id, request.params.projectId, changes, principal);
    await recordAdminChange(request, { action: 'project.update', targetType: 'project', targetId: after.id, before, after, organisationId: after.organisation_id });
    return { object: 'project', ...after };
  });

  app.post<OrganisationParams>('/admin/v1/organisations/:id/users', async (request, reply) => {
    const added = await organisations.addMember(request.params.id, parseBody(addMemberInputSchema, request.body), requirePrincipal(request));
    await recordAdminChange(request, { action: 'member.add', targetType: 'user', targetId: added.id, after: added, organisationId: added.organisation_id });
    return reply.code(201).send({ object: 'organisation.user', ...added });
  });

  app.get<OrganisationParams>('/admin/v1/organisations/:id/users', async (request) =>
    list('organisation.user', await organisations.listMembers(request.params.id, requirePrincipal(request))),
  );

  app.get<UserParams>('/admin/v1/organisations/:id/users/:userId', async (request) => ({
    object: 'organisation.user',
    ...(await organisations.getMember(request.params.id, request.params.userId, requirePrincipal(request))),
  }));

  app.patch<UserParams>('/admin/v1/organisations/:id/users/:userId', async (request) => {
    const principal = requirePrincipal(request);
    const changes = parseBody(updateMemberInputSchema, request.body);
    const before = await organisations.getMember(request.params.id, request.params.userId, principal);
    const after = await organisations.updateMember(request.params.id, request.params.userId, changes, principal);
    await recordAdminChange(request, { action: 'member.update', targetType: 'user', targetId: after.id, before, after, organisationId: after.organisation_id });
    return { object: 'organisation.user', ...after };
  });

  app.delete<UserParams>('/admin/v1/organisations/:id/users/:userId', async (request) => {
    const removed = await organisations.removeMember(request.params.id, request.params.userId, requirePrincipal(request));
    await recordAdminChange(request, { action: 'member.remove', targetType: 'user', targetId: removed.id, before: removed, organisationId: removed.organisation_id });
    return { object: 'organisation.user', deleted: true, ...removed };
  });
}
