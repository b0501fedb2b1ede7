// Usage reports and monthly statements in the admin API, as JSON or CSV (?format=csv or
// Accept: text/csv). Thin: parse the query with zod, call the billing services, format.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../../api/index.js';
import { StatementService, UsageReportService, type BillingAdministration } from '../../billing/index.js';
import { notFound } from '../../core/index.js';

const formatSchema = z.enum(['json', 'csv']).optional();
const usageQuerySchema = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  group_by: z.string().optional(),
  organisation_id: z.string().min(1).optional(),
  format: formatSchema,
});
const statementQuerySchema = z.strictObject({ format: formatSchema });

function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept);
}

function sendCsv(reply: FastifyReply, filename: string, body: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(body);
}

export function registerAdminUsageRoutes(app: FastifyInstance, services: BillingAdministration): void {
  app.get('/admin/v1/usage', async (request, reply) => {
    const query = parseBody(usageQuerySchema, request.query);
    const groupBy = query.group_by === undefined || query.group_by.trim() === '' ? [] : query.group_by.split(',');
    const report = await services.usageReports.usage({ from: query.from, to: query.to, groupBy, ...(query.organisation_id === undefined ? {} : { organisationId: query.organisation_id }) });
    if (wantsCsv(request, query.format)) return sendCsv(reply, 'usage.csv', UsageReportService.toCsv(report));
    return report;
  });

  app.get<{ Params: { id: string; month: string } }>('/admin/v1/organisations/:id/statements/:month', async (request, reply) => {
    const query = parseBody(statementQuerySchema, request.query);
    if (services.organisationExists !== undefined && !(await services.organisationExists(request.params.id))) {
      throw notFound(`No organisation with id ${JSON.stringify(request.params.id)}.`, 'organisation_not_found', 'id');
    }
    const statement = await services.statements.statement(request.params.id, request.params.month);
    if (wantsCsv(request, query.format)) return sendCsv(reply, `statement-${statement.organisation_id}-${statement.month}.csv`, StatementService.toCsv(statement));
    return statement;
  });
}
