// The console: API keys, usage, an organisation's balance with top-ups and its transactions,
// redemption codes, budgets and monthly statements. Each section asks the API and hides itself
// when the key's role may not do it (403); the sections live in console-*-section.tsx.
import { useState } from 'react';
import type { ListPage, Organisation } from '../api/api-types';
import { useApp } from '../app/app-context';
import { ErrorNotice } from '../components/error-notice';
import { useApiData } from '../components/use-api-data';
import BalanceSection from './console-balance-section';
import BudgetsSection from './console-budgets-section';
import KeysSection from './console-keys-section';
import RedemptionSection from './console-redemption-section';
import { isForbidden } from './console-shared';
import StatementSection from './console-statement-section';
import UsageSection from './console-usage-section';
import './console-page.css';

function ConsoleSections() {
  const { client } = useApp();
  const organisations = useApiData((signal) => client.get<ListPage<Organisation>>('/admin/v1/organisations', {}, signal), []);
  // Money moved (a redemption credits the key's own organisation, a top-up the chosen one): the balance and statement read theirs again.
  const [moneyMoves, setMoneyMoves] = useState(0);
  const moneyMoved = () => setMoneyMoves((value) => value + 1);
  // Balances, statements and budgets are installation money: a key that may not list organisations sees none of them.
  const installationMoney = organisations.data !== undefined;
  return (
    <>
      <KeysSection />
      {isForbidden(organisations) ? null : <ErrorNotice error={organisations.error} />}
      <UsageSection />
      {installationMoney ? <BalanceSection organisations={organisations.data} refreshKey={moneyMoves} onToppedUp={moneyMoved} /> : null}
      <RedemptionSection canCreate={installationMoney} onRedeemed={moneyMoved} />
      {installationMoney ? <BudgetsSection organisations={organisations.data} /> : null}
      {installationMoney ? <StatementSection organisations={organisations.data} refreshKey={moneyMoves} /> : null}
    </>
  );
}

export default function ConsolePage() {
  const { t, identity } = useApp();
  return (
    <section aria-labelledby="console-title">
      <h1 id="console-title">{t('nav.console')}</h1>
      {identity === null ? (
        <div className="notice" role="note">
          <p>{t('signIn.required')}</p>
        </div>
      ) : (
        <>
          <p className="muted">{t('console.roleNote')}</p>
          <ConsoleSections />
        </>
      )}
    </section>
  );
}
