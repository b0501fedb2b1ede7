// The leaderboard: per benchmark the measured score beside the published one, filterable by
// openness and price, paged, and a scatter of score against input price.
import { useState } from 'react';
import type { Leaderboard, LeaderboardRow } from '../api/api-types';
import { harnessBenchmarks } from '../api/store-query';
import { useApp } from '../app/app-context';
import ScatterChart, { type ScatterSeries } from '../charts/scatter-chart';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { MofBadge } from '../components/model-badges';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';

/** Points for the scatter: models priced in `currency` with a score on `benchmark`, measured and published apart. */
export function scatterSeries(rows: readonly LeaderboardRow[], benchmark: string, currency: string, labels: { readonly measured: string; readonly published: string }): ScatterSeries[] {
  const measured: ScatterSeries['points'][number][] = [];
  const published: ScatterSeries['points'][number][] = [];
  for (const row of rows) {
    const price = row.model.price;
    const score = row.scores[benchmark];
    if (price === null || price.currency !== currency || score === undefined) continue;
    const x = price.input_per_million_tokens / 1_000_000;
    if (score.measured !== null) measured.push({ x, y: score.measured.score, name: row.model.name });
    if (score.published !== null) published.push({ x, y: score.published.score, name: row.model.name });
  }
  return [
    { label: labels.measured, points: measured },
    { label: labels.published, points: published },
  ];
}

export default function LeaderboardPage() {
  const { t, format, client } = useApp();
  const [benchmarks, setBenchmarks] = useState<readonly string[]>(harnessBenchmarks);
  const [sort, setSort] = useState<string>('gsm8k');
  const [openWeights, setOpenWeights] = useState('');
  const [mofClass, setMofClass] = useState('');
  const [maxInputPrice, setMaxInputPrice] = useState('');
  const [currency, setCurrency] = useState<'USD' | 'CNY'>('USD');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const sortBy = benchmarks.includes(sort) ? sort : (benchmarks[0] ?? 'gsm8k');
  const board = useApiData(
    (signal) =>
      client.get<Leaderboard>(
        '/store/v1/leaderboard',
        { benchmarks: benchmarks.join(','), sort: sortBy, open_weights: openWeights, mof_class: mofClass, max_input_price: maxInputPrice, currency: maxInputPrice === '' ? '' : currency, limit: 25, cursor },
        signal,
      ),
    [benchmarks.join(','), sortBy, openWeights, mofClass, maxInputPrice, currency, cursor],
  );
  const restart = () => setCursors([null]);
  const toggle = (name: string) => {
    const next = benchmarks.includes(name) ? benchmarks.filter((other) => other !== name) : harnessBenchmarks.filter((other) => other === name || benchmarks.includes(other));
    if (next.length > 0) setBenchmarks(next);
    restart();
  };

  return (
    <section aria-labelledby="leaderboard-title">
      <h1 id="leaderboard-title">{t('leaderboard.title')}</h1>
      <div className="panel filters">
        <fieldset className="field field-wide">
          <legend>{t('leaderboard.benchmarks')}</legend>
          <div className="actions">
            {harnessBenchmarks.map((name) => (
              <label key={name}>
                <input type="checkbox" checked={benchmarks.includes(name)} onChange={() => toggle(name)} /> {name.toUpperCase()}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="leaderboard-sort">{t('filter.sort')}</label>
          <select id="leaderboard-sort" value={sortBy} onChange={(event) => { setSort(event.target.value); restart(); }}>
            {benchmarks.map((name) => (
              <option key={name} value={name}>
                {name.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="leaderboard-open">{t('filter.openWeights')}</label>
          <select id="leaderboard-open" value={openWeights} onChange={(event) => { setOpenWeights(event.target.value); restart(); }}>
            <option value="">{t('filter.any')}</option>
            <option value="true">{t('common.yes')}</option>
            <option value="false">{t('common.no')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="leaderboard-mof">{t('filter.mofClass')}</label>
          <select id="leaderboard-mof" value={mofClass} onChange={(event) => { setMofClass(event.target.value); restart(); }}>
            <option value="">{t('filter.any')}</option>
            <option value="I">I</option>
            <option value="II">II</option>
            <option value="III">III</option>
            <option value="none">{t('mof.none')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="leaderboard-price">{t('filter.maxInputPrice')}</label>
          <input id="leaderboard-price" type="number" min={0} step="any" value={maxInputPrice} onChange={(event) => { setMaxInputPrice(event.target.value); restart(); }} />
        </div>
        <div className="field">
          <label htmlFor="leaderboard-currency">{t('filter.currency')}</label>
          <select id="leaderboard-currency" value={currency} onChange={(event) => { setCurrency(event.target.value === 'CNY' ? 'CNY' : 'USD'); restart(); }}>
            <option value="USD">USD</option>
            <option value="CNY">CNY</option>
          </select>
        </div>
      </div>
      <ErrorNotice error={board.error} />
      {board.loading ? <Loading /> : null}
      {board.data === undefined ? null : (
        <>
          <div className="table-scroll">
            <table>
              <caption>{t('leaderboard.caption', { benchmark: sortBy.toUpperCase() })}</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>{t('leaderboard.model')}</th>
                  {board.data.benchmarks.map((name) => (
                    <th scope="colgroup" colSpan={2} key={name}>
                      {name.toUpperCase()}
                    </th>
                  ))}
                </tr>
                <tr>
                  {board.data.benchmarks.flatMap((name) => [
                    <th scope="col" className="number" key={`${name}-measured`}>{t('score.measured')}</th>,
                    <th scope="col" className="number" key={`${name}-published`}>{t('score.published')}</th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {board.data.data.map((row) => (
                  <tr key={row.model.id}>
                    <th scope="row">
                      <Link href={`/models/${encodeURIComponent(row.model.id)}`}>{row.model.name}</Link>
                      <div className="muted">{row.model.vendor}</div>
                      <MofBadge mofClass={row.model.mof_class} />
                    </th>
                    {board.data?.benchmarks.flatMap((name) => {
                      const score = row.scores[name];
                      return [
                        <td className="number" key={`${name}-measured`}>{score?.measured == null ? '—' : format.score(score.measured.score)}</td>,
                        <td className="number" key={`${name}-published`}>{score?.published == null ? '—' : format.score(score.published.score)}</td>,
                      ];
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <PageControls page={cursors.length} hasPrevious={cursors.length > 1} hasNext={board.data.has_more && board.data.next_cursor !== null} onPrevious={() => setCursors(cursors.slice(0, -1))} onNext={() => setCursors([...cursors, board.data?.next_cursor ?? null])} />
          <h2>{t('leaderboard.scatterTitle', { benchmark: sortBy.toUpperCase(), currency })}</h2>
          <ScatterChart
            series={scatterSeries(board.data.data, sortBy, currency, { measured: t('score.measured'), published: t('score.published') })}
            label={t('leaderboard.scatterLabel', { benchmark: sortBy.toUpperCase() })}
            xLabel={t('price.axisInput', { currency })}
            yLabel={t('score.axis')}
            formatX={(value) => format.money(value * 1_000_000, currency)}
            formatY={format.score}
          />
          <p className="muted">{t('leaderboard.scatterNote', { currency })}</p>
        </>
      )}
    </section>
  );
}
