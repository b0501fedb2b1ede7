// The playground's conversation: each message with its tokens and cost; an answer's tool calls
// (name and indented arguments) with a field per call for its result, sent back as `tool`
// messages; and the tool steps a GPT ran itself, from its `modelmart` extension.
import { useState, type FormEvent } from 'react';
import type { PriceVersion } from '../api/api-types';
import type { ChatUsage } from '../api/sse-reader';
import { useApp } from '../app/app-context';
import type { ChatTurn } from './playground-logic';
import { prettyJson, type GptToolStep, type ToolCall } from './playground-tools-logic';

export interface ShownMessage extends ChatTurn {
  readonly usage?: ChatUsage;
  readonly cost?: { readonly amount: number; readonly currency: PriceVersion['currency'] } | null;
  readonly streaming?: boolean;
  readonly steps?: readonly GptToolStep[];
  /** For a `tool` message: the name of the function it answers, to label it. */
  readonly toolName?: string;
}

function ToolResultsForm({ calls, disabled, onSend }: { readonly calls: readonly ToolCall[]; readonly disabled: boolean; readonly onSend: (results: readonly string[]) => void }) {
  const { t } = useApp();
  const [results, setResults] = useState<readonly string[]>(() => calls.map(() => ''));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSend(calls.map((_call, index) => results[index] ?? ''));
  };
  return (
    <form className="tool-results" onSubmit={submit} aria-label={t('account.tools.resultsForm')}>
      {calls.map((call, index) => (
        <div className="field" key={call.id === '' ? index : call.id}>
          <label htmlFor={`tool-result-${index}`}>{t('account.tools.resultFor', { name: call.function.name })}</label>
          <textarea id={`tool-result-${index}`} rows={2} value={results[index] ?? ''} onChange={(event) => setResults(results.map((result, position) => (position === index ? event.target.value : result)))} required />
        </div>
      ))}
      <div className="actions">
        <button type="submit" disabled={disabled}>
          {t('account.tools.sendResults')}
        </button>
      </div>
    </form>
  );
}

function GptSteps({ steps }: { readonly steps: readonly GptToolStep[] }) {
  const { t, format } = useApp();
  return (
    <details className="tool-steps">
      <summary>{t('account.tools.gptSteps', { count: format.number(steps.length) })}</summary>
      <ol>
        {steps.map((step) => (
          <li key={`${step.step}-${step.call_id}`}>
            <strong>{step.name}</strong> {step.ok ? `✓ ${t('account.tools.stepOk')}` : `✗ ${t('account.tools.stepFailed')}`} <span className="muted">({t('account.tools.duration', { milliseconds: format.number(step.duration_ms) })})</span>
            <pre className="code">{prettyJson(step.arguments)}</pre>
            <pre className="code">{step.error === undefined ? step.output : `${step.error.code}: ${step.error.message}`}</pre>
          </li>
        ))}
      </ol>
    </details>
  );
}

function speaker(message: ShownMessage, t: ReturnType<typeof useApp>['t']): string {
  if (message.role === 'user') return t('playground.you');
  if (message.role === 'tool') return t('account.tools.resultLabel', { name: message.toolName ?? '' });
  return t('playground.assistant');
}

export default function Transcript({ messages, busy, onSendToolResults }: { readonly messages: readonly ShownMessage[]; readonly busy: boolean; readonly onSendToolResults: (results: readonly string[]) => void }) {
  const { t, format } = useApp();
  const lastIndex = messages.length - 1;
  return (
    <ol className="chat-log" aria-label={t('playground.conversation')} aria-live="polite">
      {messages.map((message, index) => {
        const calls = message.tool_calls ?? [];
        const awaitingResults = index === lastIndex && message.role === 'assistant' && calls.length > 0 && message.streaming !== true;
        return (
          <li key={index} className="chat-message" data-role={message.role}>
            <strong>{speaker(message, t)}: </strong>
            <span className="chat-text">{message.content}</span>
            {message.streaming === true ? <span className="muted"> {t('playground.streaming')}</span> : null}
            {message.steps === undefined || message.steps.length === 0 ? null : <GptSteps steps={message.steps} />}
            {calls.length === 0 ? null : (
              <ul className="tool-calls" aria-label={t('account.tools.callsLabel')}>
                {calls.map((call, callIndex) => (
                  <li key={call.id === '' ? callIndex : call.id} data-testid="tool-call">
                    <span>
                      {t('account.tools.calls')} <code>{call.function.name}</code>
                    </span>
                    <pre className="code" tabIndex={0}>{prettyJson(call.function.arguments)}</pre>
                  </li>
                ))}
              </ul>
            )}
            {awaitingResults ? <ToolResultsForm calls={calls} disabled={busy} onSend={onSendToolResults} /> : null}
            {message.usage === undefined ? null : (
              <div className="chat-meta" data-testid="message-usage">
                {t('playground.tokens', { prompt: format.tokens(message.usage.prompt_tokens), completion: format.tokens(message.usage.completion_tokens) })}
                {' · '}
                {message.cost === null || message.cost === undefined ? t('playground.costUnknown') : t('playground.cost', { cost: format.money(message.cost.amount, message.cost.currency) })}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
