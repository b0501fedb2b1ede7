import { describe, expect, it } from 'vitest';
import { emptyStartRunForm, isBenchmarkName, shotsOf, startRequestFromForm } from './evaluation-form-logic';

describe('start-a-run form', () => {
  it('makes the request from the fields filled in, leaving the rest to the API\'s defaults', () => {
    expect(startRequestFromForm({ ...emptyStartRunForm, model: ' grok-1 ' })).toEqual({ request: { benchmark: 'gsm8k', model: 'grok-1', setting: 'default', api: 'chat', limit: 10 } });
    const full = startRequestFromForm({ ...emptyStartRunForm, model: 'm', benchmark: 'mmlu', limit: '', subjects: 'anatomy, astronomy,', samples: '1', seed: '7', temperature: '0.5', maxTokens: '64', concurrency: '4', dataDirectory: ' /data ' });
    expect(full).toEqual({ request: { benchmark: 'mmlu', model: 'm', setting: 'default', api: 'chat', subjects: ['anatomy', 'astronomy'], samples: 1, seed: 7, temperature: 0.5, max_tokens: 64, concurrency: 4, data_directory: '/data' } });
  });

  it('sends subjects for MMLU only', () => {
    const result = startRequestFromForm({ ...emptyStartRunForm, model: 'm', subjects: 'anatomy' });
    expect(result).toEqual({ request: { benchmark: 'gsm8k', model: 'm', setting: 'default', api: 'chat', limit: 10 } });
  });

  it('names each field that is wrong and why', () => {
    expect(startRequestFromForm({ ...emptyStartRunForm, model: ' ', limit: '0', samples: '2.5', temperature: 'hot', maxTokens: '99999', concurrency: '-1' })).toEqual({
      problems: { model: 'required', limit: 'range', samples: 'wholeNumber', temperature: 'number', maxTokens: 'range', concurrency: 'wholeNumber' },
    });
    expect(startRequestFromForm({ ...emptyStartRunForm, model: 'm', temperature: '3' })).toEqual({ problems: { temperature: 'range' } });
  });

  it('knows the few-shot examples each benchmark sends', () => {
    expect(shotsOf('gsm8k', 'default')).toBe(5);
    expect(shotsOf('gsm8k_cot', 'default')).toBe(8);
    expect(shotsOf('humaneval', 'instruct')).toBe(0);
    expect(shotsOf('math', 'minerva')).toBe(4);
    expect(shotsOf('math500', 'default')).toBe(0);
    expect(isBenchmarkName('mmlu')).toBe(true);
    expect(isBenchmarkName('arc')).toBe(false);
  });
});
