// Compare: models side by side (capabilities, openness, licence, price) and every benchmark
// as grouped bars. With nothing chosen it shows the Grok-1 announcement's comparison.
import { useState, type FormEvent } from 'react';
import type { Comparison, ListPage, ModelCard } from '../api/api-types';
import { useApp } from '../app/app-context';
import GroupedBarChart from '../charts/grouped-bar-chart';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { ContextText, LicenseBadge, MofBadge, OpenWeightsBadge, PriceText } from '../components/model-badges';
import { useApiData } from '../components/use-api-data';
import { canAdd, compareHref, idsToShow, maximumChosenModels, parseCompareIds } from './compare-selection';

function settingText(setting: { readonly shots?: number; readonly chain_of_thought?: boolean; readonly pass_at?: number }, t: ReturnType<typeof useApp>['t']): string {
  const parts: string[] = [];
  if (setting.shots !== undefined) parts.push(t('score.shots', { shots: setting.shots }));
  if (setting.pass_at !== undefined) parts.push(`pass@${setting.pass_at}`);
  if (setting.chain_of_thought === true) parts.push(t('score.chainOfThought'));
  return parts.join(', ');
}

function ModelPicker({ chosen }: { readonly chosen: readonly string[] }) {
  const { t, client, navigate } = useApp();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<readonly ModelCard[]>([]);
  const [error, setError] = useState<unknown>(null);
  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const page = await client.get<ListPage<ModelCard>>('/store/v1/models', { q: query, limit: 8 });
      setFound(page.data);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="panel" onSubmit={(event) => void search(event)} aria-label={t('compare.addModel')}>
      <div className="field">
        <label htmlFor="compare-search">{t('compare.findModel')}</label>
        <div className="actions">
          <input id="compare-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
          <button type="submit">{t('filter.search')}</button>
        </div>
        <p className="hint">{t('compare.limit', { count: maximumChosenModels })}</p>
      </div>
      <ErrorNotice error={error} />
      {found.length === 0 ? null : (
        <ul className="chips" aria-label={t('compare.searchResults')}>
          {found.map((card) => (
            <li key={card.id}>
              {card.name}
              <button type="button" disabled={!canAdd(chosen, card.id)} onClick={() => navigate(compareHref([...chosen, card.id]))} aria-label={t('compare.addNamed', { name: card.name })}>
                +
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

export default function ComparePage() {
  const { t, format, client, location, navigate } = useApp();
  const chosen = parseCompareIds(location.search);
  const shown = idsToShow(chosen);
  const comparison = useApiData((signal) => client.get<Comparison>('/store/v1/compare', { ids: shown.join(',') }, signal), [shown.join(',')]);
  const isGrokDefault = chosen.length === 0;

  return (
    <section aria-labelledby="compare-title">
      <h1 id="compare-title">{isGrokDefault ? t('compare.grokTitle') : t('compare.title')}</h1>
      {isGrokDefault ? <p className="muted">{t('compare.grokIntro')}</p> : null}
      {chosen.length === 0 ? null : (
        <ul className="chips" aria-label={t('compare.chosen')}>
          {chosen.map((id) => (
            <li key={id}>
              {id}
              <button type="button" className="secondary" onClick={() => navigate(compareHref(chosen.filter((other) => other !== id)))} aria-label={t('compare.removeNamed', { name: id })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <ModelPicker chosen={chosen} />
      <ErrorNotice error={comparison.error} />
      {comparison.loading ? <Loading /> : null}
      {comparison.data === undefined ? null : <ComparisonView comparison={comparison.data} settingText={(setting) => settingText(setting, t)} formatScore={format.score} />}
    </section>
  );
}

function ComparisonView({ comparison, settingText: describe, formatScore }: { readonly comparison: Comparison; readonly settingText: (setting: { readonly shots?: number; readonly chain_of_thought?: boolean; readonly pass_at?: number }) => string; readonly formatScore: (value: number) => string }) {
  const { t, format } = useApp();
  const { models, benchmarks } = comparison;
  return (
    <>
      <div className="table-scroll">
        <table id="compare-table">
          <caption>{t('compare.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('compare.attribute')}</th>
              {models.map((model) => (
                <th scope="col" key={model.id}>
                  <Link href={`/models/${encodeURIComponent(model.id)}`}>{model.name}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('compare.vendor')}</th>
              {models.map((model) => (
                <td key={model.id}>{model.vendor}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('compare.released')}</th>
              {models.map((model) => (
                <td key={model.id}>{format.date(model.release_date)}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('store.context')}</th>
              {models.map((model) => (
                <td key={model.id}>
                  <ContextText tokens={model.capability.context_window} />
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('model.modalities')}</th>
              {models.map((model) => (
                <td key={model.id}>{model.capability.input_modalities.join(', ')}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('model.features')}</th>
              {models.map((model) => (
                <td key={model.id}>{[model.capability.tools ? t('model.feature.tools') : null, model.capability.json_schema_output ? t('model.feature.json') : null, model.capability.reasoning ? t('model.feature.reasoning') : null].filter((entry) => entry !== null).join(', ') || '—'}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('model.openness')}</th>
              {models.map((model) => (
                <td key={model.id}>
                  <div className="badges">
                    <MofBadge mofClass={model.mof_class} />
                    <OpenWeightsBadge open={model.open_weights} />
                  </div>
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('model.licence')}</th>
              {models.map((model) => (
                <td key={model.id}>
                  <LicenseBadge name={model.license.terms.name} use={model.license.terms.commercial_use} />
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">{t('store.price')}</th>
              {models.map((model) => (
                <td key={model.id}>
                  <PriceText price={model.price} />
                </td>
              ))}
            </tr>
            {benchmarks.map((row) => (
              <tr key={row.benchmark}>
                <th scope="row">{row.benchmark.toUpperCase()}</th>
                {models.map((model) => {
                  const cell = row.scores[model.id] ?? null;
                  return (
                    <td key={model.id} className="number">
                      {cell === null ? '—' : formatScore(cell.score)}
                      {cell === null ? null : <div className="muted">{[describe(cell.setting), t(cell.source.kind === 'measured' ? 'score.measured' : 'score.published')].filter((part) => part !== '').join(' · ')}</div>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {benchmarks.length === 0 ? null : (
        <>
          <h2>{t('compare.chartTitle')}</h2>
          <GroupedBarChart
            labels={benchmarks.map((row) => row.benchmark.toUpperCase())}
            series={models.map((model) => ({ label: model.name, values: benchmarks.map((row) => row.scores[model.id]?.score ?? null) }))}
            label={t('compare.chartLabel', { names: models.map((model) => model.name).join(', ') })}
            valueLabel={t('score.axis')}
            formatValue={formatScore}
          />
        </>
      )}
    </>
  );
}
