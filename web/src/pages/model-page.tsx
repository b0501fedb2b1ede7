// One model: its card, openness (MOF components and class), licence in plain words, price
// history as a step chart, benchmarks published beside measured, deployments, and a way to
// try it in the playground.
import type { ModelDetail } from '../api/api-types';
import type { MessageParameters } from '../i18n/messages';
import { useApp } from '../app/app-context';
import GroupedBarChart from '../charts/grouped-bar-chart';
import StepLineChart from '../charts/step-line-chart';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { ContextText, LicenseBadge, MofBadge, OpenWeightsBadge, PriceText } from '../components/model-badges';
import { useApiData } from '../components/use-api-data';
import { benchmarkPairs, licenseInPlainWords, opennessRows, playgroundModelName, priceSteps } from './model-view-logic';

/** Numbers in a sentence are written the reader's way (700,000,000 / 700,000,000). */
function formatParameters(parameters: MessageParameters | undefined, formatNumber: (value: number) => string): MessageParameters | undefined {
  if (parameters === undefined) return undefined;
  return Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, typeof value === 'number' ? formatNumber(value) : value]));
}

const stateSymbol = { public: '✓', closed: '✗', unknown: '?' } as const;

function Openness({ model }: { readonly model: ModelDetail }) {
  const { t } = useApp();
  const rows = opennessRows(model.openness);
  const publicCount = rows.filter((row) => row.state === 'public').length;
  return (
    <section aria-labelledby="openness-title">
      <h2 id="openness-title">{t('model.openness')}</h2>
      <p>
        <MofBadge mofClass={model.mof_class} /> {t('model.opennessSummary', { count: publicCount, total: rows.length })}
      </p>
      <ul className="openness-grid" aria-label={t('model.opennessComponents')}>
        {rows.map((row) => (
          <li key={row.component} className={`openness-${row.state}`}>
            <span aria-hidden="true">{stateSymbol[row.state]} </span>
            {t(`mof.component.${row.component}`)}: <strong>{t(`openness.${row.state}`)}</strong>
            {row.release?.license === undefined ? null : <span className="muted"> ({row.release.license})</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PriceHistory({ model }: { readonly model: ModelDetail }) {
  const { t, format } = useApp();
  if (model.price_history.length === 0) return <p className="muted">{t('price.none')}</p>;
  const steps = priceSteps(model.price_history, new Date().toISOString().slice(0, 10));
  const currency = steps.currency ?? 'USD';
  return (
    <>
      <StepLineChart
        labels={steps.labels}
        series={[
          { label: t('price.input'), values: steps.input },
          { label: t('price.output'), values: steps.output },
        ]}
        label={t('model.priceChartLabel', { name: model.name })}
        valueLabel={t('price.axis', { currency })}
        formatValue={(value) => format.money(value * 1_000_000, currency)}
      />
      <div className="table-scroll">
        <table>
          <caption>{t('model.priceHistory')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('price.effectiveFrom')}</th>
              <th scope="col" className="number">{t('price.input')}</th>
              <th scope="col" className="number">{t('price.output')}</th>
            </tr>
          </thead>
          <tbody>
            {model.price_history.map((version) => (
              <tr key={version.effective_from}>
                <td>{format.date(version.effective_from)}</td>
                <td className="number">{format.money(version.input_per_million_tokens, version.currency)}</td>
                <td className="number">{format.money(version.output_per_million_tokens, version.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Benchmarks({ model }: { readonly model: ModelDetail }) {
  const { t, format } = useApp();
  const pairs = benchmarkPairs(model.benchmarks);
  if (pairs.length === 0) return <p className="muted">{t('model.noBenchmarks')}</p>;
  return (
    <>
      <GroupedBarChart
        labels={pairs.map((pair) => pair.benchmark.toUpperCase())}
        series={[
          { label: t('score.published'), values: pairs.map((pair) => pair.published?.score ?? null) },
          { label: t('score.measured'), values: pairs.map((pair) => pair.measured?.score ?? null) },
        ]}
        label={t('model.benchmarkChartLabel', { name: model.name })}
        valueLabel={t('score.axis')}
        formatValue={format.score}
      />
      <div className="table-scroll">
        <table>
          <caption>{t('model.benchmarks')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('score.benchmark')}</th>
              <th scope="col" className="number">{t('score.published')}</th>
              <th scope="col" className="number">{t('score.measured')}</th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((pair) => (
              <tr key={pair.benchmark}>
                <th scope="row">{pair.benchmark.toUpperCase()}</th>
                <td className="number">{pair.published === null ? '—' : format.score(pair.published.score)}</td>
                <td className="number">{pair.measured === null ? '—' : format.score(pair.measured.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export default function ModelPage({ id }: { readonly id: string }) {
  const { t, format, client } = useApp();
  const detail = useApiData((signal) => client.get<ModelDetail>(`/store/v1/models/${encodeURIComponent(id)}`, {}, signal), [id]);
  if (detail.loading) return <Loading />;
  if (detail.data === undefined) return <ErrorNotice error={detail.error} />;
  const model = detail.data;
  const terms = model.license.terms;
  return (
    <article aria-labelledby="model-title">
      <h1 id="model-title">{model.name}</h1>
      <p className="muted">
        {model.vendor} · {t('model.released', { date: format.date(model.release_date) })}
      </p>
      {model.deprecation === null ? null : (
        <div className="notice notice-error" role="note">
          {t('model.deprecated', { date: model.deprecation.sunset_date === null ? '—' : format.date(model.deprecation.sunset_date) })}
        </div>
      )}
      <div className="badges">
        <LicenseBadge name={terms.name} use={terms.commercial_use} />
        <MofBadge mofClass={model.mof_class} />
        <OpenWeightsBadge open={model.open_weights} />
      </div>
      <p>{model.description}</p>
      <p className="actions">
        <Link className="button-link" href={`/playground?model=${encodeURIComponent(playgroundModelName(model))}`}>
          {t('model.tryInPlayground')}
        </Link>
        <Link href={`/compare?ids=${encodeURIComponent(model.id)}`}>{t('model.compareWith')}</Link>
      </p>
      <section className="panel" aria-labelledby="card-title">
        <h2 id="card-title">{t('model.card')}</h2>
        <dl className="facts">
          <dt>{t('store.price')}</dt>
          <dd>
            <PriceText price={model.price} />
          </dd>
          <dt>{t('store.context')}</dt>
          <dd>
            <ContextText tokens={model.capability.context_window} />
          </dd>
          {model.capability.max_output_tokens === undefined ? null : (
            <>
              <dt>{t('model.maxOutput')}</dt>
              <dd>{format.tokens(model.capability.max_output_tokens)}</dd>
            </>
          )}
          <dt>{t('model.modalities')}</dt>
          <dd>
            {model.capability.input_modalities.join(', ')} → {model.capability.output_modalities.join(', ')}
          </dd>
          <dt>{t('model.features')}</dt>
          <dd>{[model.capability.tools ? t('model.feature.tools') : null, model.capability.json_schema_output ? t('model.feature.json') : null, model.capability.reasoning ? t('model.feature.reasoning') : null].filter((entry) => entry !== null).join(', ') || '—'}</dd>
          {model.parameters?.total === undefined ? null : (
            <>
              <dt>{t('model.parameters')}</dt>
              <dd>{model.parameters.active === undefined ? t('model.parametersTotal', { total: format.number(model.parameters.total / 1e9, 1) }) : t('model.parametersValue', { total: format.number(model.parameters.total / 1e9, 1), active: format.number(model.parameters.active / 1e9, 1) })}</dd>
            </>
          )}
          <dt>{t('model.languages')}</dt>
          <dd>{model.languages.length === 0 ? '—' : model.languages.join(', ')}</dd>
        </dl>
      </section>
      <Openness model={model} />
      <section aria-labelledby="licence-title">
        <h2 id="licence-title">{t('model.licence')}</h2>
        <p>
          {terms.url === null ? terms.name : <a href={terms.url}>{terms.name}</a>} ({model.license.id})
        </p>
        <ul>
          {licenseInPlainWords(terms).map((sentence) => (
            <li key={sentence.key}>{t(sentence.key, formatParameters(sentence.parameters, format.number))}</li>
          ))}
          {terms.conditions.map((condition) => (
            <li key={condition}>{condition}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="prices-title">
        <h2 id="prices-title">{t('model.priceHistory')}</h2>
        <PriceHistory model={model} />
      </section>
      <section aria-labelledby="benchmarks-title">
        <h2 id="benchmarks-title">{t('model.benchmarks')}</h2>
        <Benchmarks model={model} />
      </section>
      <section aria-labelledby="deployments-title">
        <h2 id="deployments-title">{t('model.deployments')}</h2>
        {model.deployments.length === 0 ? (
          <p className="muted">{t('model.noDeployments')}</p>
        ) : (
          <ul>
            {model.deployments.map((deployment, index) => (
              <li key={index}>
                {t(`deployment.${deployment.kind}`)}
                {deployment.provider === undefined ? '' : ` · ${deployment.provider}${deployment.model === undefined ? '' : `/${deployment.model}`}`}
                {deployment.route === undefined ? '' : ` · ${t('model.route', { route: deployment.route })}`}
                {deployment.region === undefined ? '' : ` · ${deployment.region}`}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
