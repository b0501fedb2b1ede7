// A chat with a GPT on its page (or with its draft in the builder): conversation starters as
// buttons, the answer streamed from /v1/chat/completions, its citations and its tokens and cost.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-client';
import type { PriceVersion } from '../api/api-types';
import type { GptCitation } from '../api/gpt-types';
import { readChatCompletionStream, type ChatUsage } from '../api/sse-reader';
import { useApp } from '../app/app-context';
import { ErrorNotice } from '../components/error-notice';
import { answerCost, citationsOfChunk, gptChatRequest } from './gpt-page-logic';
import type { ChatTurn } from './playground-logic';

interface ShownMessage extends ChatTurn {
  readonly usage?: ChatUsage;
  readonly cost?: ReturnType<typeof answerCost>;
  readonly citations?: readonly GptCitation[];
  readonly streaming?: boolean;
}

export function GptChatPanel({ model, starters, price, idPrefix }: { readonly model: string; readonly starters: readonly string[]; readonly price: PriceVersion | null | undefined; readonly idPrefix: string }) {
  const { t, format, client } = useApp();
  const [messages, setMessages] = useState<readonly ShownMessage[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [streaming, setStreaming] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const send = async (content: string) => {
    if (content.trim() === '' || streaming) return;
    const userTurn: ShownMessage = { role: 'user', content };
    const history = [...messages.map(({ role, content: text }) => ({ role, content: text })), userTurn];
    setMessages((previous) => [...previous, userTurn, { role: 'assistant', content: '', streaming: true }]);
    setDraft('');
    setError(null);
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    const updateLast = (change: (message: ShownMessage) => ShownMessage) => setMessages((previous) => [...previous.slice(0, -1), change(previous[previous.length - 1] ?? { role: 'assistant', content: '' })]);
    try {
      const response = await client.send('POST', '/v1/chat/completions', { body: gptChatRequest(model, history), signal: controller.signal, accept: 'text/event-stream' });
      if (response.body === null) throw new ApiError(0, t('gpts.chat.noBody'), null, null, response.headers.get('x-request-id'));
      for await (const chunk of readChatCompletionStream(response.body)) {
        const text = chunk.choices.map((choice) => choice.delta.content ?? '').join('');
        if (text !== '') updateLast((message) => ({ ...message, content: message.content + text }));
        const citations = citationsOfChunk(chunk);
        if (citations.length > 0) updateLast((message) => ({ ...message, citations }));
        const usage = chunk.usage;
        if (usage !== undefined && usage !== null) updateLast((message) => ({ ...message, usage, cost: answerCost(price, usage.prompt_tokens, usage.completion_tokens) }));
      }
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === 'AbortError')) setError(failure);
    } finally {
      updateLast((message) => ({ ...message, streaming: false }));
      abort.current = null;
      setStreaming(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(draft);
  };

  return (
    <div className="gpt-chat">
      {starters.length === 0 ? null : (
        <div className="gpt-starters" role="group" aria-label={t('gpts.chat.starters')}>
          {starters.map((starter) => (
            <button key={starter} type="button" className="secondary" disabled={streaming} onClick={() => void send(starter)}>
              {starter}
            </button>
          ))}
        </div>
      )}
      <ol className="chat-log" aria-label={t('gpts.chat.conversation')} aria-live="polite">
        {messages.map((message, index) => (
          <li key={index} className="chat-message" data-role={message.role}>
            <strong>{message.role === 'user' ? t('gpts.chat.you') : t('gpts.chat.gpt')}: </strong>
            <span className="chat-text">{message.content}</span>
            {message.streaming === true ? <span className="muted"> {t('gpts.chat.streaming')}</span> : null}
            {message.citations === undefined || message.citations.length === 0 ? null : (
              <ol className="gpt-citations" aria-label={t('gpts.chat.citations')}>
                {message.citations.map((citation) => (
                  <li key={citation.index} value={citation.index}>
                    {citation.title === '' ? citation.source : citation.title}
                    {citation.title !== '' && citation.source !== citation.title ? <span className="muted"> ({citation.source})</span> : null}
                    {citation.date === null ? null : <span className="muted"> · {format.date(citation.date)}</span>}
                  </li>
                ))}
              </ol>
            )}
            {message.usage === undefined ? null : (
              <div className="chat-meta" data-testid="gpt-message-usage">
                {t('gpts.chat.tokens', { prompt: format.tokens(message.usage.prompt_tokens), completion: format.tokens(message.usage.completion_tokens) })}
                {' · '}
                {message.cost === null || message.cost === undefined ? t('gpts.chat.costUnknown') : t('gpts.chat.cost', { cost: format.money(message.cost.amount, message.cost.currency) })}
              </div>
            )}
          </li>
        ))}
      </ol>
      <ErrorNotice error={error} />
      <form onSubmit={submit} className="panel">
        <div className="field">
          <label htmlFor={`${idPrefix}-message`}>{t('gpts.chat.message')}</label>
          <textarea
            id={`${idPrefix}-message`}
            rows={3}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
            }}
          />
          <p className="hint">{t('gpts.chat.sendHint')}</p>
        </div>
        <div className="actions">
          <button type="submit" disabled={streaming || draft.trim() === ''}>
            {t('gpts.chat.send')}
          </button>
          <button type="button" className="secondary" disabled={!streaming} onClick={() => abort.current?.abort()}>
            {t('gpts.chat.stop')}
          </button>
          <button type="button" className="secondary" disabled={streaming || messages.length === 0} onClick={() => setMessages([])}>
            {t('gpts.chat.clear')}
          </button>
        </div>
      </form>
    </div>
  );
}
