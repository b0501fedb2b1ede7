// Routes: the routing table (file routes and routes made here), a form to create or replace a
// route with ordered targets, weights or a canary percentage, and delete with confirmation.
import { useState, type FormEvent } from 'react';
import type { ConfiguredProvider, StoredRoute } from '../api/admin-types';
import { ApiError } from '../api/api-client';
import type { ListPage } from '../api/api-types';
import { useApp } from '../app/app-context';
import { Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { emptyRouteForm, emptyTarget, formFieldOfParameter, isRouteStrategy, moveTarget, routeBodyFromForm, routeFormFromRoute, routeFormProblems, routeStrategies, weightShares, type RouteForm, type RouteTargetForm } from './admin-routes-logic';
import { AdminErrorNotice, isForbidden, useAction } from './admin-shared';

function targetSummary(route: StoredRoute): string {
  return route.targets.map((target) => `${target.provider}/${target.model}${route.strategy === 'weighted' ? ` ×${target.weight ?? 1}` : ''}`).join(' → ');
}

function FieldMessages({ id, messages }: { readonly id: string; readonly messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="admin-field-error" id={id}>
      <span aria-hidden="true">⚠ </span>
      {messages.join(' ')}
    </p>
  );
}

function RouteEditor({ initial, editing, providers, onSaved, onCancel }: { readonly initial: RouteForm; readonly editing: boolean; readonly providers: readonly ConfiguredProvider[]; readonly onSaved: (model: string) => void; readonly onCancel: () => void }) {
  const { t, client } = useApp();
  const [form, setForm] = useState<RouteForm>(initial);
  const [showProblems, setShowProblems] = useState(false);
  const save = useAction();
  const problems = routeFormProblems(form);
  const apiError = save.error instanceof ApiError && save.error.status === 400 ? save.error : null;
  const messagesFor = (field: string): string[] => [
    ...(showProblems ? problems.filter((problem) => problem.field === field).map((problem) => t(problem.message)) : []),
    ...(apiError !== null && formFieldOfParameter(apiError.param) === field ? [apiError.message] : []),
  ];
  const shares = weightShares(form.targets);
  const setTarget = (index: number, change: Partial<RouteTargetForm>) => setForm({ ...form, targets: form.targets.map((target, position) => (position === index ? { ...target, ...change } : target)) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowProblems(true);
    if (problems.length > 0) return;
    await save.run(async () => {
      await client.send('PUT', `/admin/v1/routes/${encodeURIComponent(form.model.trim())}`, { body: routeBodyFromForm(form) });
      onSaved(form.model.trim());
    });
  };
  const field = (name: string) => ({ 'aria-invalid': messagesFor(name).length > 0 ? true : undefined, 'aria-describedby': messagesFor(name).length > 0 ? `route-error-${name.replaceAll('.', '-')}` : undefined });
  const providerModels = (providerId: string) => providers.find((provider) => provider.id === providerId)?.models ?? [];

  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={editing ? t('admin.routes.editForm', { model: initial.model }) : t('admin.routes.createForm')} noValidate>
      <h3>{editing ? t('admin.routes.editForm', { model: initial.model }) : t('admin.routes.createForm')}</h3>
      <div className="filters">
        <div className="field">
          <label htmlFor="route-model">{t('admin.routes.model')}</label>
          <input id="route-model" value={form.model} readOnly={editing} onChange={(event) => setForm({ ...form, model: event.target.value })} {...field('model')} />
          <FieldMessages id="route-error-model" messages={messagesFor('model')} />
        </div>
        <div className="field">
          <label htmlFor="route-strategy">{t('admin.routes.strategy')}</label>
          <select id="route-strategy" value={form.strategy} onChange={(event) => isRouteStrategy(event.target.value) && setForm({ ...form, strategy: event.target.value })} {...field('strategy')}>
            {routeStrategies.map((strategy) => (
              <option key={strategy} value={strategy}>
                {t(`admin.routes.strategy.${strategy}`)}
              </option>
            ))}
          </select>
          <p className="hint">{t(`admin.routes.strategyHint.${form.strategy}`)}</p>
          <FieldMessages id="route-error-strategy" messages={messagesFor('strategy')} />
        </div>
        {form.strategy === 'canary' ? (
          <div className="field">
            <label htmlFor="route-canary">{t('admin.routes.canaryPercent')}</label>
            <input id="route-canary" type="number" min={0} max={100} step="any" value={form.canaryPercent} onChange={(event) => setForm({ ...form, canaryPercent: event.target.value })} {...field('canaryPercent')} />
            <p className="hint">{t('admin.routes.canaryHint')}</p>
            <FieldMessages id="route-error-canaryPercent" messages={messagesFor('canaryPercent')} />
          </div>
        ) : null}
      </div>
      <fieldset className="admin-targets">
        <legend>{t('admin.routes.targets')}</legend>
        <FieldMessages id="route-error-targets" messages={messagesFor('targets')} />
        <ol>
          {form.targets.map((target, index) => {
            const number = index + 1;
            return (
              <li key={index} className="admin-target-row">
                <div className="field">
                  <label htmlFor={`route-target-${index}-provider`}>{t('admin.routes.targetProvider', { number })}</label>
                  <input id={`route-target-${index}-provider`} list="route-provider-options" value={target.provider} onChange={(event) => setTarget(index, { provider: event.target.value })} {...field(`targets.${index}.provider`)} />
                  <FieldMessages id={`route-error-targets-${index}-provider`} messages={messagesFor(`targets.${index}.provider`)} />
                </div>
                <div className="field">
                  <label htmlFor={`route-target-${index}-model`}>{t('admin.routes.targetModel', { number })}</label>
                  <input id={`route-target-${index}-model`} list={`route-model-options-${index}`} value={target.model} onChange={(event) => setTarget(index, { model: event.target.value })} {...field(`targets.${index}.model`)} />
                  <datalist id={`route-model-options-${index}`}>
                    {providerModels(target.provider).map((model) => (
                      <option key={model.name} value={model.name} />
                    ))}
                  </datalist>
                  <FieldMessages id={`route-error-targets-${index}-model`} messages={messagesFor(`targets.${index}.model`)} />
                </div>
                {form.strategy === 'weighted' ? (
                  <div className="field">
                    <label htmlFor={`route-target-${index}-weight`}>{t('admin.routes.targetWeight', { number })}</label>
                    <input id={`route-target-${index}-weight`} type="number" min={0} step="any" value={target.weight} onChange={(event) => setTarget(index, { weight: event.target.value })} {...field(`targets.${index}.weight`)} />
                    <p className="hint">{shares[index] === null || shares[index] === undefined ? '—' : t('admin.routes.share', { percent: shares[index] })}</p>
                    <FieldMessages id={`route-error-targets-${index}-weight`} messages={messagesFor(`targets.${index}.weight`)} />
                  </div>
                ) : null}
                {form.strategy === 'canary' && index === form.targets.length - 1 && form.targets.length > 1 ? <p className="hint">{t('admin.routes.canaryTarget')}</p> : null}
                <div className="actions">
                  <button type="button" className="secondary" disabled={index === 0} onClick={() => setForm({ ...form, targets: moveTarget(form.targets, index, -1) })} aria-label={t('admin.routes.moveUp', { number })}>
                    ↑
                  </button>
                  <button type="button" className="secondary" disabled={index === form.targets.length - 1} onClick={() => setForm({ ...form, targets: moveTarget(form.targets, index, 1) })} aria-label={t('admin.routes.moveDown', { number })}>
                    ↓
                  </button>
                  <button type="button" className="secondary" disabled={form.targets.length === 1} onClick={() => setForm({ ...form, targets: form.targets.filter((_, position) => position !== index) })}>
                    {t('admin.routes.removeTarget', { number })}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <datalist id="route-provider-options">
          {providers.map((provider) => (
            <option key={provider.id} value={provider.id} />
          ))}
        </datalist>
        <button type="button" className="secondary" onClick={() => setForm({ ...form, targets: [...form.targets, emptyTarget] })}>
          {t('admin.routes.addTarget')}
        </button>
      </fieldset>
      <FieldMessages id="route-error-form" messages={messagesFor('form')} />
      <AdminErrorNotice error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          {save.busy ? t('admin.saving') : t('admin.routes.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

export default function AdminRoutesSection() {
  const { t, format, client } = useApp();
  const routes = useApiData((signal) => client.get<ListPage<StoredRoute>>('/admin/v1/routes', {}, signal), []);
  const providers = useApiData((signal) => client.get<ListPage<ConfiguredProvider>>('/admin/v1/providers', {}, signal), []);
  const [editor, setEditor] = useState<{ readonly form: RouteForm; readonly editing: boolean; readonly key: number } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const remove = useAction();
  const { pageItems, controls } = useLocalPages(routes.data?.data ?? [], 20);

  const open = (form: RouteForm, editing: boolean) => {
    setSaved(null);
    setEditor({ form, editing, key: Date.now() });
  };
  const deleteRoute = async (route: StoredRoute) => {
    if (!window.confirm(t('admin.routes.confirmDelete', { model: route.model }))) return;
    await remove.run(async () => {
      await client.delete(`/admin/v1/routes/${encodeURIComponent(route.model)}`);
      routes.reload();
    });
  };

  return (
    <section aria-labelledby="admin-routes-title" className="panel">
      <h2 id="admin-routes-title">{t('admin.section.routes')}</h2>
      <AdminErrorNotice error={routes.error} />
      {isForbidden(routes.error) ? null : (
        <>
          <div className="actions admin-toolbar">
            {editor === null ? (
              <button type="button" onClick={() => open(emptyRouteForm, false)}>
                {t('admin.routes.new')}
              </button>
            ) : null}
            <button type="button" className="secondary" onClick={routes.reload} disabled={routes.loading}>
              {t('admin.refresh')}
            </button>
          </div>
          {editor === null ? null : (
            <RouteEditor
              key={editor.key}
              initial={editor.form}
              editing={editor.editing}
              providers={providers.data?.data ?? []}
              onCancel={() => setEditor(null)}
              onSaved={(model) => {
                setEditor(null);
                setSaved(model);
                routes.reload();
              }}
            />
          )}
          {saved === null ? null : (
            <div className="notice notice-success" role="status">
              <p>{t('admin.routes.saved', { model: saved })}</p>
            </div>
          )}
          <AdminErrorNotice error={remove.error} />
          {routes.loading && routes.data === undefined ? <Loading /> : null}
          {routes.data === undefined ? null : routes.data.data.length === 0 ? (
            <p className="muted">{t('admin.routes.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{t('admin.routes.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.routes.model')}</th>
                    <th scope="col">{t('admin.routes.strategy')}</th>
                    <th scope="col">{t('admin.routes.targets')}</th>
                    <th scope="col">{t('admin.routes.source')}</th>
                    <th scope="col">{t('admin.routes.updated')}</th>
                    <th scope="col">{t('admin.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {pageItems.map((route) => (
                    <tr key={route.model}>
                      <th scope="row">
                        <code>{route.model}</code>
                      </th>
                      <td>
                        {t(`admin.routes.strategy.${route.strategy}`)}
                        {route.strategy === 'canary' ? ` (${t('admin.routes.canaryShare', { percent: route.canaryPercent ?? 10 })})` : ''}
                      </td>
                      <td>{targetSummary(route)}</td>
                      <td>{t(`admin.routes.source.${route.source}`)}</td>
                      <td>{route.updated_at === undefined ? '—' : format.dateTime(route.updated_at)}</td>
                      <td>
                        <div className="actions">
                          <button type="button" className="secondary" onClick={() => open(routeFormFromRoute(route), true)} aria-label={t('admin.routes.editNamed', { model: route.model })}>
                            {t('admin.edit')}
                          </button>
                          {route.source === 'admin' ? (
                            <button type="button" className="secondary" onClick={() => void deleteRoute(route)} aria-label={t('admin.routes.deleteNamed', { model: route.model })}>
                              {t('admin.delete')}
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {controls}
            </div>
          )}
        </>
      )}
    </section>
  );
}
