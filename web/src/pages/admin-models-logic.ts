// The model card admin page's logic: the editable card body from a store card (the store adds
// fields the PUT refuses), a pasted JSON document read with a readable error, and the price,
// deprecation and import bodies from their forms.
import type { PriceVersionBody } from '../api/admin-types';
import { unitsToMicroUnits, type Currency } from '../i18n/locale-format';
import type { MessageKey } from '../i18n/messages';

/** What GET /store/v1/models/{id} adds to the card: computed or kept apart, so PUT does not take them. */
const presentationFields = ['object', 'mof_class', 'open_weights', 'price', 'price_history', 'deprecation', 'created_at', 'updated_at'];

export function editableCardBody(card: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(card).filter(([key]) => !presentationFields.includes(key)));
}

export type JsonDocument = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly message: MessageKey; readonly detail: string };

/** A pasted JSON object, or why it is not one (the parser's own words as detail). */
export function readJsonObject(text: string): JsonDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: 'admin.models.problem.notJson', detail: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'admin.models.problem.notObject', detail: '' };
  return { ok: true, value: value as Record<string, unknown> };
}

export interface PriceForm {
  /** A calendar date (YYYY-MM-DD); empty means "now". */
  readonly effectiveDate: string;
  readonly currency: Currency;
  /** Per million tokens, in units of the currency, as typed. */
  readonly inputPerMillion: string;
  readonly outputPerMillion: string;
}

export const emptyPriceForm: PriceForm = { effectiveDate: '', currency: 'USD', inputPerMillion: '', outputPerMillion: '' };

export interface FormProblem {
  readonly field: string;
  readonly message: MessageKey;
}

function nonNegativeAmount(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

export function priceFormProblems(form: PriceForm, today: string): FormProblem[] {
  const problems: FormProblem[] = [];
  if (nonNegativeAmount(form.inputPerMillion) === null) problems.push({ field: 'inputPerMillion', message: 'admin.models.problem.amount' });
  if (nonNegativeAmount(form.outputPerMillion) === null) problems.push({ field: 'outputPerMillion', message: 'admin.models.problem.amount' });
  // Billed requests used the price in force then: the API refuses a version dated in the past.
  if (form.effectiveDate !== '' && form.effectiveDate <= today) problems.push({ field: 'effectiveDate', message: 'admin.models.problem.futureDate' });
  return problems;
}

/** The API body; amounts become integer micro-units, a date its midnight UTC, no date "now". */
export function priceBodyFromForm(form: PriceForm): PriceVersionBody {
  const body = {
    currency: form.currency,
    input_per_million_tokens: unitsToMicroUnits(nonNegativeAmount(form.inputPerMillion) ?? 0),
    output_per_million_tokens: unitsToMicroUnits(nonNegativeAmount(form.outputPerMillion) ?? 0),
  };
  return form.effectiveDate === '' ? body : { effective_from: `${form.effectiveDate}T00:00:00.000Z`, ...body };
}

export function deprecationBody(sunsetDate: string, replacement: string): { readonly sunset_date: string; readonly replacement?: string } {
  return replacement.trim() === '' ? { sunset_date: sunsetDate } : { sunset_date: sunsetDate, replacement: replacement.trim() };
}

export type ImportFormat = 'json' | 'huggingface';

export interface ImportForm {
  readonly format: ImportFormat;
  /** The pasted document: a card as JSON, or a Hugging Face README (YAML front matter and text). */
  readonly document: string;
  /** For a Hugging Face README, what it does not say in a form the catalogue needs. */
  readonly id: string;
  readonly vendor: string;
  readonly releaseDate: string;
  readonly contextWindow: string;
}

export const emptyImportForm: ImportForm = { format: 'json', document: '', id: '', vendor: '', releaseDate: '', contextWindow: '' };

export type ImportRequest = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly problem: FormProblem; readonly detail: string };

/** The body of POST /admin/v1/models/import from the form, or the first thing wrong with it. */
export function importRequestFromForm(form: ImportForm): ImportRequest {
  if (form.document.trim() === '') return { ok: false, problem: { field: 'document', message: 'admin.models.problem.documentRequired' }, detail: '' };
  if (form.format === 'json') {
    const card = readJsonObject(form.document);
    if (!card.ok) return { ok: false, problem: { field: 'document', message: card.message }, detail: card.detail };
    return { ok: true, body: { format: 'json', card: card.value } };
  }
  for (const [field, value] of [['id', form.id], ['vendor', form.vendor], ['releaseDate', form.releaseDate]] as const) {
    if (value.trim() === '') return { ok: false, problem: { field, message: 'admin.models.problem.fieldRequired' }, detail: '' };
  }
  const contextWindow = form.contextWindow.trim() === '' ? null : Number(form.contextWindow);
  if (contextWindow !== null && !(Number.isInteger(contextWindow) && contextWindow > 0)) return { ok: false, problem: { field: 'contextWindow', message: 'admin.models.problem.contextWindow' }, detail: '' };
  return {
    ok: true,
    body: {
      format: 'huggingface',
      content: form.document,
      id: form.id.trim(),
      vendor: form.vendor.trim(),
      release_date: form.releaseDate,
      capability: { context_window: contextWindow, input_modalities: ['text'], output_modalities: ['text'] },
    },
  };
}
