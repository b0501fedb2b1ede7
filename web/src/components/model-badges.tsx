// Badges shared by the store, the model page, compare and the leaderboard. Each says its
// meaning in words and with a symbol, so colour is never the only signal.
import type { CommercialUse, MofClass, PriceVersion } from '../api/api-types';
import { useApp } from '../app/app-context';
import type { MessageKey } from '../i18n/messages';

const commercialUse: Readonly<Record<CommercialUse, { readonly symbol: string; readonly tone: string; readonly text: MessageKey }>> = {
  yes: { symbol: '✓', tone: 'badge-good', text: 'licence.commercial.yes' },
  conditional: { symbol: '≈', tone: 'badge-warn', text: 'licence.commercial.conditional' },
  no: { symbol: '✗', tone: 'badge-bad', text: 'licence.commercial.no' },
};

export function LicenseBadge({ name, use }: { readonly name: string; readonly use: CommercialUse }) {
  const { t } = useApp();
  const entry = commercialUse[use];
  return (
    <span className={`badge ${entry.tone}`} title={name}>
      <span aria-hidden="true">{entry.symbol} </span>
      {name} · {t(entry.text)}
    </span>
  );
}

export function MofBadge({ mofClass }: { readonly mofClass: MofClass | null }) {
  const { t } = useApp();
  if (mofClass === null) return <span className="badge badge-neutral">{t('mof.none')}</span>;
  return <span className="badge badge-good">{t('mof.class', { class: mofClass, name: t(`mof.name.${mofClass}`) })}</span>;
}

export function OpenWeightsBadge({ open }: { readonly open: boolean }) {
  const { t } = useApp();
  return open ? <span className="badge badge-good">{t('model.openWeights')}</span> : <span className="badge badge-neutral">{t('model.closedWeights')}</span>;
}

export function PriceText({ price }: { readonly price: PriceVersion | null }) {
  const { t, format } = useApp();
  if (price === null) return <span className="muted">{t('price.none')}</span>;
  return (
    <span>
      {t('price.perMillion', { input: format.money(price.input_per_million_tokens, price.currency), output: format.money(price.output_per_million_tokens, price.currency) })}
    </span>
  );
}

export function ContextText({ tokens }: { readonly tokens: number | null }) {
  const { t, format } = useApp();
  return <span>{tokens === null ? t('context.unknown') : t('context.tokens', { tokens: format.tokens(tokens) })}</span>;
}
