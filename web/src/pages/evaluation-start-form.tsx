// The form that starts an evaluation run: a model the gateway routes, a benchmark, how many
// items, and the settings the API takes. Obvious mistakes are named beside their field; the
// API's own refusals (an unknown model, missing data) are shown as it words them, and the
// field it names is marked.
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/api-client';
import type { GatewayModel, ListPage } from '../api/api-types';
import { benchmarkNames, promptSettings, type StartedRun } from '../api/evaluation-types';
import { useApp } from '../app/app-context';
import { ErrorNotice } from '../components/error-notice';
import { useApiData } from '../components/use-api-data';
import { emptyStartRunForm, isBenchmarkName, shotsOf, startRequestFromForm, type FormField, type FormProblem, type StartRunForm } from './evaluation-form-logic';

type ShownProblem = FormProblem | 'rejected';

/** The API's parameter names for the form's fields, so a 400 naming one marks that field. */
const fieldOfParameter: Readonly<Record<string, FormField>> = { model: 'model', limit: 'limit', samples: 'samples', seed: 'seed', temperature: 'temperature', max_tokens: 'maxTokens', concurrency: 'concurrency' };

export function EvaluationStartForm() {
  const { t, client, navigate } = useApp();
  const models = useApiData((signal) => client.get<ListPage<GatewayModel>>('/v1/models', {}, signal), []);
  const [form, setForm] = useState<StartRunForm>(emptyStartRunForm);
  const [problems, setProblems] = useState<Partial<Record<keyof StartRunForm, ShownProblem>>>({});
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const change = <Key extends keyof StartRunForm>(key: Key, value: StartRunForm[Key]) => setForm((previous) => ({ ...previous, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = startRequestFromForm(form);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    setProblems({});
    setStarting(true);
    try {
      const run = await client.post<StartedRun>('/admin/v1/evaluations', result.request);
      navigate(`/evaluations/${encodeURIComponent(run.id)}`);
    } catch (failure) {
      setError(failure);
      const field = failure instanceof ApiError && failure.param !== null ? fieldOfParameter[failure.param] : undefined;
      if (field !== undefined) setProblems({ [field]: 'rejected' });
      setStarting(false);
    }
  };

  /** A labelled input with its hint and its problem, both read out with it. */
  const input = (key: keyof StartRunForm, label: string, options: { readonly hint?: string; readonly inputMode?: 'numeric' | 'decimal'; readonly list?: string } = {}): ReactNode => {
    const id = `evaluation-${key}`;
    const problem = problems[key];
    const described = [options.hint === undefined ? null : `${id}-hint`, problem === undefined ? null : `${id}-problem`].filter((part) => part !== null).join(' ');
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          value={form[key]}
          onChange={(event) => change(key, event.target.value)}
          aria-invalid={problem === undefined ? undefined : true}
          {...(described === '' ? {} : { 'aria-describedby': described })}
          {...(options.inputMode === undefined ? {} : { inputMode: options.inputMode })}
          {...(options.list === undefined ? {} : { list: options.list })}
          autoComplete="off"
        />
        {options.hint === undefined ? null : (
          <p className="hint muted" id={`${id}-hint`}>
            {options.hint}
          </p>
        )}
        {problem === undefined ? null : (
          <p className="evaluation-problem" id={`${id}-problem`}>
            <span aria-hidden="true">✗ </span>
            {t(`evaluations.problem.${problem}`)}
          </p>
        )}
      </div>
    );
  };

  const shots = shotsOf(form.benchmark, form.setting);
  return (
    <form className="panel" onSubmit={(event) => void submit(event)} aria-labelledby="evaluation-start-title" noValidate>
      <h2 id="evaluation-start-title">{t('evaluations.start.title')}</h2>
      <div className="filters">
        {input('model', t('evaluations.field.model'), { hint: t('evaluations.field.modelHint'), list: 'evaluation-models' })}
        <datalist id="evaluation-models">
          {(models.data?.data ?? []).map((model) => (
            <option key={model.id} value={model.id} />
          ))}
        </datalist>
        <div className="field">
          <label htmlFor="evaluation-benchmark">{t('evaluations.field.benchmark')}</label>
          <select id="evaluation-benchmark" value={form.benchmark} onChange={(event) => isBenchmarkName(event.target.value) && change('benchmark', event.target.value)} aria-describedby="evaluation-benchmark-hint">
            {benchmarkNames.map((name) => (
              <option key={name} value={name}>
                {t(`evaluations.benchmark.${name}`)}
              </option>
            ))}
          </select>
          <p className="hint muted" id="evaluation-benchmark-hint">
            {t('evaluations.field.shots', { shots })}
          </p>
        </div>
        {input('limit', t('evaluations.field.limit'), { hint: t('evaluations.field.limitHint'), inputMode: 'numeric' })}
        <div className="field">
          <label htmlFor="evaluation-setting">{t('evaluations.field.setting')}</label>
          <select id="evaluation-setting" value={form.setting} onChange={(event) => change('setting', promptSettings.find((setting) => setting === event.target.value) ?? 'default')}>
            {promptSettings.map((setting) => (
              <option key={setting} value={setting}>
                {t(`evaluations.setting.${setting}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <details className="evaluation-more">
        <summary>{t('evaluations.start.more')}</summary>
        <div className="filters">
          <div className="field">
            <label htmlFor="evaluation-api">{t('evaluations.field.api')}</label>
            <select id="evaluation-api" value={form.api} onChange={(event) => change('api', event.target.value === 'completion' ? 'completion' : 'chat')}>
              <option value="chat">{t('evaluations.api.chat')}</option>
              <option value="completion">{t('evaluations.api.completion')}</option>
            </select>
          </div>
          {form.benchmark === 'mmlu' ? input('subjects', t('evaluations.field.subjects'), { hint: t('evaluations.field.subjectsHint') }) : null}
          {input('samples', t('evaluations.field.samples'), { hint: t('evaluations.field.samplesHint'), inputMode: 'numeric' })}
          {input('temperature', t('evaluations.field.temperature'), { hint: t('evaluations.field.temperatureHint'), inputMode: 'decimal' })}
          {input('maxTokens', t('evaluations.field.maxTokens'), { inputMode: 'numeric' })}
          {input('seed', t('evaluations.field.seed'), { inputMode: 'numeric' })}
          {input('concurrency', t('evaluations.field.concurrency'), { hint: t('evaluations.field.concurrencyHint'), inputMode: 'numeric' })}
          {input('dataDirectory', t('evaluations.field.dataDirectory'), { hint: t('evaluations.field.dataDirectoryHint') })}
        </div>
      </details>
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" disabled={starting}>
          {starting ? t('evaluations.start.starting') : t('evaluations.start.submit')}
        </button>
      </div>
    </form>
  );
}
