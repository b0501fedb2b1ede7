// Redemption codes: an administrator creates a batch and sees its codes this once (with a CSV
// the browser builds for download); any signed-in key redeems a code for its own organisation.
import { useState, type FormEvent } from 'react';
import { useApp } from '../app/app-context';
import { ErrorNotice } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import type { Currency } from '../i18n/locale-format';
import { codeBatchCsv, codeBatchFileName, expiryFromDate, parseAmountToMicroUnits, type AmountProblem, type CodeBatch } from './console-money-logic';
import { AmountField, CurrencyField, isForbiddenError, saveFile } from './console-shared';

interface Credited {
  readonly credited_amount: number;
  readonly account_currency: Currency;
  readonly balance: number;
}

function CreatedBatch({ batch, onDismiss }: { readonly batch: CodeBatch & { readonly currency: Currency }; readonly onDismiss: () => void }) {
  const { t, format } = useApp();
  const { pageItems, controls } = useLocalPages(batch.codes, 20);
  return (
    <div className="notice notice-success" role="alert" data-testid="created-codes">
      <p>
        <strong>{t('account.codes.createdOnce', { count: format.number(batch.codes.length), amount: format.money(batch.amount, batch.currency) })}</strong>
      </p>
      <ul className="console-codes" aria-label={t('account.codes.listLabel')}>
        {pageItems.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      {controls}
      <div className="actions console-actions">
        <button type="button" onClick={() => saveFile(new Blob([codeBatchCsv(batch)], { type: 'text/csv;charset=utf-8' }), codeBatchFileName(batch.batch_id))}>
          {t('account.codes.download')}
        </button>
        <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(batch.codes.join('\n'))}>
          {t('account.codes.copy')}
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          {t('keys.stored')}
        </button>
      </div>
    </div>
  );
}

function CreateCodesForm() {
  const { t, client } = useApp();
  const [count, setCount] = useState('10');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<Currency>('USD');
  const [expiresOn, setExpiresOn] = useState('');
  const [problem, setProblem] = useState<AmountProblem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [forbidden, setForbidden] = useState(false);
  const [batch, setBatch] = useState<(CodeBatch & { readonly currency: Currency }) | null>(null);
  if (forbidden) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = parseAmountToMicroUnits(amount);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      setBatch(await client.post<CodeBatch & { readonly currency: Currency }>('/admin/v1/redemption-codes', { count: Number(count), amount: parsed.microUnits, currency, expires_at: expiryFromDate(expiresOn) }));
      setAmount('');
    } catch (failure) {
      if (isForbiddenError(failure)) setForbidden(true);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form onSubmit={(event) => void submit(event)} aria-labelledby="codes-create-title">
        <h3 id="codes-create-title">{t('account.codes.createTitle')}</h3>
        <div className="filters">
          <div className="field">
            <label htmlFor="codes-count">{t('account.codes.count')}</label>
            <input id="codes-count" type="number" min={1} max={1000} step={1} value={count} onChange={(event) => setCount(event.target.value)} required />
          </div>
          <AmountField id="codes-amount" label={t('account.codes.value')} value={amount} problem={problem} onChange={setAmount} />
          <CurrencyField id="codes-currency" value={currency} onChange={setCurrency} />
          <div className="field">
            <label htmlFor="codes-expires">{t('account.codes.expiresOn')}</label>
            <input id="codes-expires" type="date" value={expiresOn} onChange={(event) => setExpiresOn(event.target.value)} />
          </div>
        </div>
        <div className="actions console-actions">
          <button type="submit" disabled={busy}>
            {busy ? t('account.working') : t('account.codes.create')}
          </button>
        </div>
        <ErrorNotice error={error} />
      </form>
      {batch === null ? null : <CreatedBatch batch={batch} onDismiss={() => setBatch(null)} />}
    </>
  );
}

function RedeemForm({ onRedeemed }: { readonly onRedeemed: () => void }) {
  const { t, format, client } = useApp();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [credited, setCredited] = useState<Credited | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setCredited(null);
    setBusy(true);
    try {
      setCredited(await client.post<Credited>('/v1/credits/redeem', { code: code.trim() }));
      setCode('');
      onRedeemed();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="codes-redeem-title">
      <h3 id="codes-redeem-title">{t('account.redeem.title')}</h3>
      <div className="filters">
        <div className="field">
          <label htmlFor="redeem-code">{t('account.redeem.code')}</label>
          <input id="redeem-code" value={code} onChange={(event) => setCode(event.target.value)} autoComplete="off" spellCheck={false} required />
        </div>
      </div>
      <div className="actions console-actions">
        <button type="submit" disabled={busy || code.trim() === ''}>
          {busy ? t('account.working') : t('account.redeem.submit')}
        </button>
      </div>
      {credited === null ? null : (
        <p className="notice notice-success" role="status">
          {t('account.redeem.done', { amount: format.money(credited.credited_amount, credited.account_currency), balance: format.money(credited.balance, credited.account_currency) })}
        </p>
      )}
      <ErrorNotice error={error} />
    </form>
  );
}

/**
 * `canCreate`: whether the key may see installation money. Without it only redeeming is left,
 * a small form of its own under the page's heading rather than a whole console section.
 */
export default function RedemptionSection({ canCreate, onRedeemed }: { readonly canCreate: boolean; readonly onRedeemed: () => void }) {
  const { t } = useApp();
  if (!canCreate) {
    return (
      <div className="panel">
        <RedeemForm onRedeemed={onRedeemed} />
      </div>
    );
  }
  return (
    <section aria-labelledby="codes-title" className="panel">
      <h2 id="codes-title">{t('account.codes.title')}</h2>
      <CreateCodesForm />
      <RedeemForm onRedeemed={onRedeemed} />
    </section>
  );
}
