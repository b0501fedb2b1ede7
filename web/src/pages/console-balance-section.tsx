// The console's balance section: an organisation's balance, an administrator's top-up (typed in
// the currency's units, sent as exact micro-units) and the transaction history in cursor pages.
import { useState, type FormEvent } from 'react';
import type { Balance, ListPage, Organisation } from '../api/api-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import type { Currency } from '../i18n/locale-format';
import { currentCursor, firstPage, nextPage, parseAmountToMicroUnits, previousPage, type AmountProblem } from './console-money-logic';
import { AmountField, CurrencyField, isForbidden, isForbiddenError, OrganisationPicker } from './console-shared';

interface TransactionEntry {
  readonly id: string;
  readonly posting_id: string;
  readonly kind: 'top_up' | 'redemption' | 'usage' | 'revenue_share' | 'adjustment';
  readonly account_kind: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly request_id: string | null;
  readonly memo: string | null;
  readonly created_at: string;
}

/** What a reader quotes about an entry: a request's id for usage (the usage section names the models), else the note. */
function referenceOf(entry: TransactionEntry): string {
  if (entry.kind === 'usage') return entry.request_id ?? entry.memo ?? entry.id;
  return entry.memo ?? entry.request_id ?? entry.id;
}

const transactionKinds = ['top_up', 'redemption', 'usage', 'revenue_share', 'adjustment'] as const;
const pageSize = 20;

function TopUpForm({ organisationId, currency, onDone }: { readonly organisationId: string; readonly currency: Currency; readonly onDone: () => void }) {
  const { t, format, client } = useApp();
  const [amount, setAmount] = useState('');
  const [chosenCurrency, setChosenCurrency] = useState<Currency | ''>('');
  const [memo, setMemo] = useState('');
  const [problem, setProblem] = useState<AmountProblem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [forbidden, setForbidden] = useState(false);
  const [credited, setCredited] = useState<{ readonly amount: number; readonly currency: Currency } | null>(null);
  if (forbidden) return null;
  const topUpCurrency = chosenCurrency === '' ? currency : chosenCurrency;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setCredited(null);
    const parsed = parseAmountToMicroUnits(amount);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await client.post(`/admin/v1/organisations/${encodeURIComponent(organisationId)}/credits`, { amount: parsed.microUnits, currency: topUpCurrency, ...(memo.trim() === '' ? {} : { memo: memo.trim() }) });
      setCredited({ amount: parsed.microUnits, currency: topUpCurrency });
      setAmount('');
      setMemo('');
      onDone();
    } catch (failure) {
      if (isForbiddenError(failure)) setForbidden(true);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="top-up-title">
      <h3 id="top-up-title">{t('account.topUp.title')}</h3>
      <div className="filters">
        <AmountField id="top-up-amount" label={t('account.topUp.amount')} value={amount} problem={problem} onChange={setAmount} />
        <CurrencyField id="top-up-currency" value={topUpCurrency} onChange={setChosenCurrency} />
        <div className="field">
          <label htmlFor="top-up-memo">{t('account.topUp.memo')}</label>
          <input id="top-up-memo" value={memo} maxLength={500} onChange={(event) => setMemo(event.target.value)} />
        </div>
      </div>
      <div className="actions console-actions">
        <button type="submit" disabled={busy}>
          {busy ? t('account.working') : t('account.topUp.submit')}
        </button>
      </div>
      {credited === null ? null : (
        <p className="notice notice-success" role="status">
          {t('account.topUp.done', { amount: format.money(credited.amount, credited.currency) })}
        </p>
      )}
      <ErrorNotice error={error} />
    </form>
  );
}

function TransactionsTable({ organisationId, generation }: { readonly organisationId: string; readonly generation: number }) {
  const { t, format, client } = useApp();
  const [trail, setTrail] = useState(firstPage);
  const [trailOrganisation, setTrailOrganisation] = useState(organisationId);
  // A new organisation starts again at its first page.
  if (trailOrganisation !== organisationId) {
    setTrailOrganisation(organisationId);
    setTrail(firstPage);
  }
  const cursor = currentCursor(trail);
  const transactions = useApiData((signal) => client.get<ListPage<TransactionEntry>>(`/admin/v1/organisations/${encodeURIComponent(organisationId)}/transactions`, { limit: pageSize, after: cursor }, signal), [organisationId, cursor, generation]);
  if (isForbidden(transactions)) return null;
  const rows = transactions.data?.data ?? [];
  return (
    <>
      <ErrorNotice error={transactions.error} />
      {transactions.loading ? <Loading /> : null}
      {transactions.data === undefined ? null : rows.length === 0 && trail.cursors.length === 1 ? (
        <p className="muted">{t('account.transactions.none')}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="transactions">
            <caption>{t('account.transactions.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('account.transactions.time')}</th>
                <th scope="col">{t('account.transactions.type')}</th>
                <th scope="col" className="number">{t('account.transactions.amount')}</th>
                <th scope="col">{t('account.transactions.reference')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.posting_id}>
                  <td>{format.dateTime(entry.created_at)}</td>
                  <th scope="row">{transactionKinds.includes(entry.kind) ? t(`account.transactionKind.${entry.kind}`) : entry.kind}</th>
                  <td className="number">{format.money(entry.amount, entry.currency)}</td>
                  <td className="console-reference">{referenceOf(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <PageControls page={trail.cursors.length} hasPrevious={trail.cursors.length > 1} hasNext={transactions.data.has_more === true} onPrevious={() => setTrail(previousPage(trail))} onNext={() => setTrail(nextPage(trail, transactions.data?.next_cursor))} />
        </div>
      )}
    </>
  );
}

/**
 * `refreshKey`: changes when money moved (a top-up here, a redeemed code elsewhere), so the
 * balance and transactions are read again; `onToppedUp` tells the page that it moved.
 */
export default function BalanceSection({ organisations, refreshKey, onToppedUp }: { readonly organisations: ListPage<Organisation> | undefined; readonly refreshKey: number; readonly onToppedUp: () => void }) {
  const { t, format, client } = useApp();
  const [chosen, setChosen] = useState('');
  const organisationId = chosen !== '' ? chosen : (organisations?.data[0]?.id ?? '');
  const balance = useApiData(async (signal) => (organisationId === '' ? null : client.get<Balance>(`/admin/v1/organisations/${encodeURIComponent(organisationId)}/balance`, {}, signal)), [organisationId, refreshKey]);
  if (isForbidden(balance)) return null;
  const shown = balance.data ?? null;
  return (
    <section aria-labelledby="balance-title" className="panel">
      <h2 id="balance-title">{t('balance.title')}</h2>
      <OrganisationPicker id="balance-organisation" organisations={organisations} value={organisationId} onChange={setChosen} />
      <ErrorNotice error={balance.error} />
      {shown === null ? null : (
        <dl className="facts">
          <dt>{t('balance.mode')}</dt>
          <dd>{t(`balance.mode.${shown.mode === 'postpaid' ? 'postpaid' : shown.mode === 'unlimited' ? 'unlimited' : 'prepaid'}`)}</dd>
          <dt>{t('balance.balance')}</dt>
          <dd data-testid="balance-amount">{format.money(shown.balance, shown.currency)}</dd>
          <dt>{t('balance.available')}</dt>
          <dd>{shown.available === null ? t('balance.unlimited') : format.money(shown.available, shown.currency)}</dd>
          {shown.credit_limit === null ? null : (
            <>
              <dt>{t('balance.creditLimit')}</dt>
              <dd>{format.money(shown.credit_limit, shown.currency)}</dd>
            </>
          )}
        </dl>
      )}
      {organisationId === '' ? null : (
        <>
          <TopUpForm organisationId={organisationId} currency={shown?.currency ?? 'USD'} onDone={onToppedUp} />
          <h3>{t('account.transactions.title')}</h3>
          <TransactionsTable organisationId={organisationId} generation={refreshKey} />
        </>
      )}
    </section>
  );
}
