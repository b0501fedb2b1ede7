import { describe, expect, it } from 'vitest';
import { deprecationBody, editableCardBody, emptyImportForm, emptyPriceForm, importRequestFromForm, priceBodyFromForm, priceFormProblems, readJsonObject } from './admin-models-logic';

describe('model card editing', () => {
  it('drops what the store adds to a card before it is edited', () => {
    const card = { object: 'model_card', id: 'gpt-4', name: 'GPT-4', price: null, price_history: [], mof_class: null, open_weights: false, deprecation: null, created_at: 'x', updated_at: 'y', license: { id: 'proprietary' } };
    expect(editableCardBody(card)).toEqual({ id: 'gpt-4', name: 'GPT-4', license: { id: 'proprietary' } });
  });

  it('reads a pasted JSON object, or says why it cannot', () => {
    expect(readJsonObject('{"id":"a"}')).toEqual({ ok: true, value: { id: 'a' } });
    const broken = readJsonObject('{"id":');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toBe('admin.models.problem.notJson');
    expect(readJsonObject('[1]')).toMatchObject({ ok: false, message: 'admin.models.problem.notObject' });
  });
});

describe('price versions', () => {
  it('turns units per million into micro-units and a date into its midnight UTC', () => {
    expect(priceBodyFromForm({ effectiveDate: '2027-01-01', currency: 'CNY', inputPerMillion: '2.5', outputPerMillion: '10' })).toEqual({ effective_from: '2027-01-01T00:00:00.000Z', currency: 'CNY', input_per_million_tokens: 2_500_000, output_per_million_tokens: 10_000_000 });
    // No date: the API makes it take effect now.
    expect(priceBodyFromForm({ ...emptyPriceForm, inputPerMillion: '0.15', outputPerMillion: '0.6' })).toEqual({ currency: 'USD', input_per_million_tokens: 150_000, output_per_million_tokens: 600_000 });
  });

  it('refuses missing or negative amounts and dates that are not in the future', () => {
    expect(priceFormProblems({ ...emptyPriceForm, inputPerMillion: '1', outputPerMillion: '2' }, '2026-11-28')).toEqual([]);
    expect(priceFormProblems({ ...emptyPriceForm, inputPerMillion: '-1', outputPerMillion: '' }, '2026-11-28').map((problem) => problem.field)).toEqual(['inputPerMillion', 'outputPerMillion']);
    expect(priceFormProblems({ effectiveDate: '2026-11-28', currency: 'USD', inputPerMillion: '1', outputPerMillion: '1' }, '2026-11-28')).toEqual([{ field: 'effectiveDate', message: 'admin.models.problem.futureDate' }]);
  });

  it('sends a replacement with a deprecation only when one is named', () => {
    expect(deprecationBody('2027-06-30', '')).toEqual({ sunset_date: '2027-06-30' });
    expect(deprecationBody('2027-06-30', ' gpt-4o ')).toEqual({ sunset_date: '2027-06-30', replacement: 'gpt-4o' });
  });
});

describe('card import', () => {
  it('wraps a pasted JSON card', () => {
    expect(importRequestFromForm({ ...emptyImportForm, document: '{"id":"new-model"}' })).toEqual({ ok: true, body: { format: 'json', card: { id: 'new-model' } } });
    expect(importRequestFromForm({ ...emptyImportForm, document: 'not json' })).toMatchObject({ ok: false, problem: { field: 'document', message: 'admin.models.problem.notJson' } });
    expect(importRequestFromForm(emptyImportForm)).toMatchObject({ ok: false, problem: { field: 'document' } });
  });

  it('sends a Hugging Face README with the facts it lacks', () => {
    const form = { format: 'huggingface' as const, document: '---\nlicense: apache-2.0\n---\n# Tiny', id: 'tiny', vendor: 'Acme', releaseDate: '2026-01-02', contextWindow: '4096' };
    expect(importRequestFromForm(form)).toEqual({
      ok: true,
      body: { format: 'huggingface', content: form.document, id: 'tiny', vendor: 'Acme', release_date: '2026-01-02', capability: { context_window: 4096, input_modalities: ['text'], output_modalities: ['text'] } },
    });
    expect(importRequestFromForm({ ...form, vendor: '' })).toMatchObject({ ok: false, problem: { field: 'vendor', message: 'admin.models.problem.fieldRequired' } });
    expect(importRequestFromForm({ ...form, contextWindow: '1.5' })).toMatchObject({ ok: false, problem: { field: 'contextWindow' } });
  });
});
