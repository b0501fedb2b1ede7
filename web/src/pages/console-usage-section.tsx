// The console's usage: cost and tokens by day, model or project over a date range, as a chart
// and a table with the same numbers.
import { useState } from 'react';
import type { UsageReport } from '../api/api-types';
import { useApp } from '../app/app-context';
import GroupedBarChart from '../charts/grouped-bar-chart';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useApiData } from '../components/use-api-data';
import { defaultUsageWindow, usageSeries, type UsageGroup } from './console-logic';
import { isForbidden } from './console-shared';

export default function UsageSection() {
  const { t, format, client } = useApp();
  const initial = defaultUsageWindow(new Date());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [group, setGroup] = useState<UsageGroup>('day');
  const usage = useApiData((signal) => client.get<UsageReport>('/admin/v1/usage', { from, to, group_by: group }, signal), [from, to, group]);
  if (isForbidden(usage)) return null;
  const series = usage.data === undefined ? null : usageSeries(usage.data.data, group);
  const currency = series?.currency ?? 'USD';
  return (
    <section aria-labelledby="usage-title" className="panel">
      <h2 id="usage-title">{t('usage.title')}</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="usage-from">{t('usage.from')}</label>
          <input id="usage-from" type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="usage-to">{t('usage.to')}</label>
          <input id="usage-to" type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="usage-group">{t('usage.groupBy')}</label>
          <select id="usage-group" value={group} onChange={(event) => setGroup(event.target.value === 'model' ? 'model' : event.target.value === 'project' ? 'project' : 'day')}>
            <option value="day">{t('usage.group.day')}</option>
            <option value="model">{t('usage.group.model')}</option>
            <option value="project">{t('usage.group.project')}</option>
          </select>
        </div>
      </div>
      <ErrorNotice error={usage.error} />
      {usage.loading ? <Loading /> : null}
      {series === null ? null : series.labels.length === 0 ? (
        <p className="muted">{t('usage.none')}</p>
      ) : (
        <>
          <GroupedBarChart labels={series.labels} series={[{ label: t('usage.cost', { currency }), values: series.costs.map((cost) => cost / 1_000_000) }]} label={t('usage.chartLabel')} valueLabel={t('usage.cost', { currency })} formatValue={(value) => format.money(value * 1_000_000, currency)} />
          <div className="table-scroll">
            <table>
              <caption>{t('usage.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`usage.group.${group}`)}</th>
                  <th scope="col" className="number">{t('usage.tokens')}</th>
                  <th scope="col" className="number">{t('usage.cost', { currency })}</th>
                </tr>
              </thead>
              <tbody>
                {series.labels.map((label, index) => (
                  <tr key={label}>
                    <th scope="row">{group === 'day' ? format.date(label) : label}</th>
                    <td className="number">{format.tokens(series.tokens[index] ?? 0)}</td>
                    <td className="number">{format.money(series.costs[index] ?? 0, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
