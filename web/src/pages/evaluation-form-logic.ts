// The start-a-run form: its fields as typed, and the request they make, or which fields are
// wrong and why. The API checks everything again; this only saves a round trip for the obvious.
import { benchmarkNames, type BenchmarkName, type PromptSetting, type StartRunRequest } from '../api/evaluation-types';

export interface StartRunForm {
  readonly model: string;
  readonly benchmark: BenchmarkName;
  readonly setting: PromptSetting;
  readonly api: 'chat' | 'completion';
  readonly limit: string;
  readonly subjects: string;
  readonly samples: string;
  readonly seed: string;
  readonly temperature: string;
  readonly maxTokens: string;
  readonly concurrency: string;
  readonly dataDirectory: string;
}

export const emptyStartRunForm: StartRunForm = { model: '', benchmark: 'gsm8k', setting: 'default', api: 'chat', limit: '10', subjects: '', samples: '', seed: '', temperature: '', maxTokens: '', concurrency: '', dataDirectory: '' };

export type FormProblem = 'required' | 'wholeNumber' | 'number' | 'range';
type Mutable<T> = { -readonly [Key in keyof T]: T[Key] };
export type FormField = 'model' | 'limit' | 'samples' | 'seed' | 'temperature' | 'maxTokens' | 'concurrency';

/** The examples each benchmark and setting sends before the item (fixed by the reference prompts). */
export function shotsOf(benchmark: BenchmarkName, setting: PromptSetting): number {
  switch (benchmark) {
    case 'gsm8k':
    case 'mmlu':
      return 5;
    case 'gsm8k_cot':
      return 8;
    case 'humaneval':
      return 0;
    case 'math':
    case 'math500':
      return setting === 'minerva' ? 4 : 0;
  }
}

export function isBenchmarkName(value: string): value is BenchmarkName {
  return (benchmarkNames as readonly string[]).includes(value);
}

function wholeNumber(text: string, minimum: number, maximum: number): number | FormProblem {
  if (!/^\d+$/.test(text.trim())) return 'wholeNumber';
  const value = Number(text.trim());
  return value < minimum || value > maximum ? 'range' : value;
}

export function startRequestFromForm(form: StartRunForm): { readonly request: StartRunRequest } | { readonly problems: Partial<Record<FormField, FormProblem>> } {
  const problems: Partial<Record<FormField, FormProblem>> = {};
  const request: Mutable<StartRunRequest> = { benchmark: form.benchmark, model: form.model.trim(), setting: form.setting, api: form.api };
  if (form.model.trim() === '') problems.model = 'required';
  const whole = (field: FormField, key: 'limit' | 'samples' | 'seed' | 'max_tokens' | 'concurrency', text: string, minimum: number, maximum: number) => {
    if (text.trim() === '') return;
    const value = wholeNumber(text, minimum, maximum);
    if (typeof value === 'number') request[key] = value;
    else problems[field] = value;
  };
  whole('limit', 'limit', form.limit, 1, Number.MAX_SAFE_INTEGER);
  whole('samples', 'samples', form.samples, 1, 200);
  whole('seed', 'seed', form.seed, 0, Number.MAX_SAFE_INTEGER);
  whole('maxTokens', 'max_tokens', form.maxTokens, 1, 32_768);
  whole('concurrency', 'concurrency', form.concurrency, 1, 256);
  if (form.temperature.trim() !== '') {
    const value = Number(form.temperature.trim());
    if (!Number.isFinite(value)) problems.temperature = 'number';
    else if (value < 0 || value > 2) problems.temperature = 'range';
    else request.temperature = value;
  }
  const subjects = form.subjects
    .split(',')
    .map((subject) => subject.trim())
    .filter((subject) => subject !== '');
  if (form.benchmark === 'mmlu' && subjects.length > 0) request.subjects = subjects;
  if (form.dataDirectory.trim() !== '') request.data_directory = form.dataDirectory.trim();
  if (Object.keys(problems).length > 0) return { problems };
  return { request };
}
