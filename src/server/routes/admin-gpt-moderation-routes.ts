// /admin/v1/gpts: the store's moderation queue and actions for installation admins: reports,
// hide (resolving the GPT's open reports), restore, feature, unfeature. Every change is audited.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseBody } from '../../api/index.js';
import { moderationReasonSchema, reportResolutionSchema, type GptStore } from '../../gpts/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

type SlugParams = { Params: { slug: string } };
type ReportParams = { Params: { id: string } };

type Outcome = Awaited<ReturnType<GptStore['moderation']['hide']>>;

async function audited(request: FastifyRequest, action: string, outcome: Outcome): Promise<Outcome['after'] & { readonly resolved_reports: number }> {
  await recordAdminChange(request, {
    action,
    targetType: 'gpt',
    targetId: outcome.after.id,
    before: outcome.before,
    after: outcome.after,
    organisationId: outcome.after.organisation_id,
  });
  return { ...outcome.after, resolved_reports: outcome.resolvedReports };
}

export function registerAdminGptModerationRoutes(app: FastifyInstance, store: GptStore): void {
  app.get('/admin/v1/gpts/reports', async (request) => store.moderation.reports(request.query as Record<string, unknown>, requirePrincipal(request)));

  app.post<ReportParams>('/admin/v1/gpts/reports/:id/resolve', async (request) => {
    const { resolution } = parseBody(reportResolutionSchema, request.body);
    const report = await store.moderation.dismissReport(request.params.id, resolution, requirePrincipal(request));
    await recordAdminChange(request, { action: 'gpt.report.resolve', targetType: 'gpt_report', targetId: report.id, after: report, organisationId: null });
    return report;
  });

  app.post<SlugParams>('/admin/v1/gpts/:slug/hide', async (request) => {
    const { reason } = parseBody(moderationReasonSchema, request.body);
    return audited(request, 'gpt.hide', await store.moderation.hide(request.params.slug, reason, requirePrincipal(request)));
  });

  app.post<SlugParams>('/admin/v1/gpts/:slug/restore', async (request) => audited(request, 'gpt.restore', await store.moderation.restore(request.params.slug, requirePrincipal(request))));

  app.post<SlugParams>('/admin/v1/gpts/:slug/feature', async (request) => audited(request, 'gpt.feature', await store.moderation.feature(request.params.slug, requirePrincipal(request))));

  app.post<SlugParams>('/admin/v1/gpts/:slug/unfeature', async (request) => audited(request, 'gpt.unfeature', await store.moderation.unfeature(request.params.slug, requirePrincipal(request))));
}
