// Pieces both evaluation pages show: a run's status in words and a symbol, a duration in
// words, a score as a percentage, and the note for readers who are not signed in.
import type { EvaluationRun } from '../api/evaluation-types';
import { useApp } from '../app/app-context';
import { durationParts, isRunStatus, statusPresentation } from './evaluation-progress-logic';
import { isBenchmarkName } from './evaluation-form-logic';

export function RunStatusBadge({ status }: { readonly status: string }) {
  const { t } = useApp();
  const shown = statusPresentation(status);
  return (
    <span className={`badge ${shown.tone}`}>
      <span aria-hidden="true">{shown.symbol} </span>
      {isRunStatus(status) ? t(`evaluations.status.${status}`) : status}
    </span>
  );
}

/** A benchmark's name as readers know it (GSM8K, MMLU, …); an unknown one as the API wrote it. */
export function useBenchmarkLabel(): (benchmark: string) => string {
  const { t } = useApp();
  return (benchmark) => (isBenchmarkName(benchmark) ? t(`evaluations.benchmark.${benchmark}`) : benchmark);
}

export function useDurationText(): (milliseconds: number) => string {
  const { t } = useApp();
  return (milliseconds) => {
    const { hours, minutes, seconds } = durationParts(milliseconds);
    if (hours > 0) return t('evaluations.duration.hours', { hours, minutes });
    if (minutes > 0) return t('evaluations.duration.minutes', { minutes, seconds });
    return t('evaluations.duration.seconds', { seconds });
  };
}

/** The run's spend in its currency, or "not priced" when the catalogue knows no price. */
export function SpendText({ spend }: { readonly spend: EvaluationRun['spend'] }) {
  const { t, format } = useApp();
  if (spend.currency !== 'USD' && spend.currency !== 'CNY') return <span className="muted">{t('evaluations.spend.unpriced')}</span>;
  return <span>{format.money(Math.round(spend.amount * 1_000_000), spend.currency)}</span>;
}

export function SignInFirst() {
  const { t } = useApp();
  return (
    <div className="notice" role="note">
      <p>{t('signIn.required')}</p>
      <p>{t('evaluations.adminOnly')}</p>
    </div>
  );
}
