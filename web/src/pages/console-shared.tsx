// What the console's sections share: the 403 test that hides a section, saving a file the
// browser built, the organisation picker the money sections start from, and the amount and
// currency fields of the top-up and redemption-code forms.
import { ApiError } from '../api/api-client';
import type { ListPage, Organisation } from '../api/api-types';
import { useApp } from '../app/app-context';
import type { ApiData } from '../components/use-api-data';
import type { Currency } from '../i18n/locale-format';
import type { AmountProblem } from './console-money-logic';

export function isForbidden(data: ApiData<unknown>): boolean {
  return isForbiddenError(data.error);
}

export function isForbiddenError(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/** Saves `content` as a download named `fileName`; the object URL is let go once the click has started the download. */
export function saveFile(content: Blob, fileName: string): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function OrganisationPicker({ id, organisations, value, onChange }: { readonly id: string; readonly organisations: ListPage<Organisation> | undefined; readonly value: string; readonly onChange: (organisationId: string) => void }) {
  const { t } = useApp();
  if (organisations === undefined) return null;
  return (
    <div className="field">
      <label htmlFor={id}>{t('balance.organisation')}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {organisations.data.map((organisation) => (
          <option key={organisation.id} value={organisation.id}>
            {organisation.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An amount typed in the currency's units, with the hint or, once checked, what is wrong with it. */
export function AmountField({ id, label, value, problem, onChange }: { readonly id: string; readonly label: string; readonly value: string; readonly problem: AmountProblem | null; readonly onChange: (value: string) => void }) {
  const { t } = useApp();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} inputMode="decimal" value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={problem !== null} aria-describedby={`${id}-hint`} required />
      <p className="hint" id={`${id}-hint`}>
        {problem === null ? t('account.topUp.amountHint') : <strong>{t(`account.amount.${problem}`)}</strong>}
      </p>
    </div>
  );
}

export function CurrencyField({ id, value, onChange }: { readonly id: string; readonly value: Currency; readonly onChange: (currency: Currency) => void }) {
  const { t } = useApp();
  return (
    <div className="field">
      <label htmlFor={id}>{t('account.currency')}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value === 'CNY' ? 'CNY' : 'USD')}>
        <option value="USD">USD</option>
        <option value="CNY">CNY</option>
      </select>
    </div>
  );
}
