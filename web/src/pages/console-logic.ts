// Pure logic behind the console: the key creation request from the form, usage rows summed
// per group for the chart, and the default report window.
import type { UsageRow } from '../api/api-types';

export interface KeyForm {
  readonly name: string;
  readonly role: 'user' | 'admin';
  readonly allowedModels: string;
  readonly deniedModels: string;
  readonly requestsPerMinute: string;
  readonly tokensPerMinute: string;
  readonly expiresOn: string;
}

export const emptyKeyForm: KeyForm = { name: '', role: 'user', allowedModels: '', deniedModels: '', requestsPerMinute: '', tokensPerMinute: '', expiresOn: '' };

function globs(text: string): string[] | null {
  const list = text
    .split(/[,\s]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return list.length === 0 ? null : list;
}

/** The POST /admin/v1/keys body; empty fields are left out so the API's defaults apply. */
export function keyRequestFromForm(form: KeyForm): Record<string, unknown> {
  const allowed = globs(form.allowedModels);
  const denied = globs(form.deniedModels);
  const body: Record<string, unknown> = { name: form.name.trim(), role: form.role };
  // A list left empty is left out: no allow list means every model, no deny list means none denied.
  if (allowed !== null || denied !== null) body.scopes = { ...(allowed === null ? {} : { allowed_models: allowed }), ...(denied === null ? {} : { denied_models: denied }) };
  if (form.requestsPerMinute.trim() !== '') body.requests_per_minute = Number(form.requestsPerMinute);
  if (form.tokensPerMinute.trim() !== '') body.tokens_per_minute = Number(form.tokensPerMinute);
  // A date means the end of that day in UTC.
  if (form.expiresOn !== '') body.expires_at = `${form.expiresOn}T23:59:59Z`;
  return body;
}

export type UsageGroup = 'day' | 'model' | 'project';

/** The report's field for each group (projects come back as project_id). */
const groupField = { day: 'day', model: 'model', project: 'project_id' } as const;

/** Usage summed per group value (per currency), in the order the report gives them. */
export function usageSeries(rows: readonly UsageRow[], group: UsageGroup): { readonly labels: string[]; readonly costs: number[]; readonly tokens: number[]; readonly currency: UsageRow['currency'] | null } {
  const currency = rows[0]?.currency ?? null;
  const labels: string[] = [];
  const costs: number[] = [];
  const tokens: number[] = [];
  for (const row of rows) {
    if (row.currency !== currency) continue;
    const label = row[groupField[group]] ?? '—';
    let index = labels.indexOf(label);
    if (index === -1) {
      index = labels.push(label) - 1;
      costs.push(0);
      tokens.push(0);
    }
    costs[index] = (costs[index] ?? 0) + row.cost;
    tokens[index] = (tokens[index] ?? 0) + row.prompt_tokens + row.completion_tokens;
  }
  return { labels, costs, tokens, currency };
}

/** The last 30 days, today included, as the dates the usage API takes. */
export function defaultUsageWindow(today: Date): { readonly from: string; readonly to: string } {
  const start = new Date(today.getTime() - 29 * 86_400_000);
  return { from: start.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
}
