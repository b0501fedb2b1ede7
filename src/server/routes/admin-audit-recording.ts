// Records an admin change in the audit log from inside a route, in one line:
//   await recordAdminChange(request, { action: 'organisation.create', targetType: 'organisation', targetId: created.id, after: created });
// Who (the key, its user), the request id and the organisation come from the request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog, Principal } from '../../accounts/index.js';
import { requirePrincipal } from '../middleware/authentication.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The audit log every admin change is recorded in; decorated once on the root app. */
    auditLog: AuditLog;
  }
}

export interface AdminChange {
  /** `<target>.<verb>`: key.create, route.update, model.price.add … */
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  /** The target before and after; secrets are redacted by the audit log. Omit where there is none. */
  readonly before?: unknown;
  readonly after?: unknown;
  /** The organisation the target belongs to. Default: the caller's, unless it is an installation admin (then none). */
  readonly organisationId?: string | null;
}

/** The tenancy fields a principal may carry; read structurally so this works with and without them. */
type TenantPrincipal = Principal & { readonly organisationId?: string; readonly userId?: string | null };

export function decorateAuditLog(app: FastifyInstance, auditLog: AuditLog): void {
  app.decorate('auditLog', auditLog);
}

export async function recordAdminChange(request: FastifyRequest, change: AdminChange): Promise<void> {
  const principal: TenantPrincipal = requirePrincipal(request);
  const callerOrganisation = principal.role === 'admin' ? null : (principal.organisationId ?? null);
  await request.server.auditLog.record({
    organisationId: change.organisationId === undefined ? callerOrganisation : change.organisationId,
    actorKeyId: principal.keyId,
    actorUserId: principal.userId ?? null,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: request.id,
  });
}
