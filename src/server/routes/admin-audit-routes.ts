// GET /admin/v1/audit-log: the admin changes, newest first, filtered by query parameters and
// paged with an opaque cursor. An organisation-scoped admin sees only its organisation's entries.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditLog, Principal } from '../../accounts/index.js';
import { zodErrorToModelmartError } from '../../api/index.js';
import { invalidRequest, notFound } from '../../core/index.js';
import { requirePrincipal } from '../middleware/authentication.js';

const instantPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

const instantSchema = z.string().transform((text, context) => {
  const instant = new Date(text);
  if (!instantPattern.test(text) || Number.isNaN(instant.getTime())) {
    context.addIssue({ code: 'custom', message: `expected an ISO-8601 date or date-time with a zone, such as 2026-11-28 or 2026-11-28T12:00:00Z; got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return instant;
});

export const auditLogQuerySchema = z.strictObject({
  organisation_id: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  target_type: z.string().min(1).optional(),
  target_id: z.string().min(1).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

function parseQuery(query: unknown): z.infer<typeof auditLogQuerySchema> {
  const result = auditLogQuerySchema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const name = issue.keys[0] ?? '';
    throw invalidRequest(`Unknown query parameter '${name}'; known: ${Object.keys(auditLogQuerySchema.shape).join(', ')}.`, name, 'unknown_parameter');
  }
  throw zodErrorToModelmartError(result.error);
}

/** An organisation-scoped admin (not an installation admin) reads only its own organisation. */
function organisationFilter(principal: Principal & { readonly organisationId?: string }, requested: string | undefined): string | undefined {
  if (principal.role === 'admin' || principal.organisationId === undefined) return requested;
  if (requested !== undefined && requested !== principal.organisationId) {
    throw notFound(`No organisation with id ${JSON.stringify(requested)}.`, 'organisation_not_found', 'organisation_id');
  }
  return principal.organisationId;
}

export function registerAdminAuditRoutes(app: FastifyInstance, auditLog: AuditLog): void {
  app.get('/admin/v1/audit-log', async (request) => {
    const query = parseQuery(request.query);
    const page = await auditLog.list({
      organisationId: organisationFilter(requirePrincipal(request), query.organisation_id),
      actor: query.actor,
      action: query.action,
      targetType: query.target_type,
      targetId: query.target_id,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit,
    });
    return { object: 'list', data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor };
  });
}
