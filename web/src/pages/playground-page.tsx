// The playground: chat with any model the key may use, streamed token by token, with the
// tokens and cost of every answer and the same call as code.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-client';
import type { GatewayModel, ListPage, ModelCard, ModelDetail, PriceVersion } from '../api/api-types';
import { readChatCompletionStream, type ChatUsage } from '../api/sse-reader';
import { costOfTokens } from '../api/store-query';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useApiData } from '../components/use-api-data';
import { buildChatRequest, cardPricesModel, codeSamples, isCardId, storeSearchText, type ChatTurn } from './playground-logic';

interface ShownMessage extends ChatTurn {
  readonly usage?: ChatUsage;
  readonly cost?: { readonly amount: number; readonly currency: PriceVersion['currency'] } | null;
  readonly streaming?: boolean;
}

function SignInFirst() {
  const { t } = useApp();
  return (
    <div className="notice" role="note">
      <p>{t('signIn.required')}</p>
    </div>
  );
}

export default function PlaygroundPage() {
  const { t, format, client, identity, location } = useApp();
  const requested = new URLSearchParams(location.search).get('model') ?? '';
  const models = useApiData(async (signal) => (identity === null ? null : client.get<ListPage<GatewayModel>>('/v1/models', {}, signal)), [identity]);
  const [model, setModel] = useState(requested);
  const [temperature, setTemperature] = useState(0.7);
  const [maxTokens, setMaxTokens] = useState('');
  const [system, setSystem] = useState('');
  const [draft, setDraft] = useState('');
  const [messages, setMessages] = useState<readonly ShownMessage[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [showCode, setShowCode] = useState(false);
  const [price, setPrice] = useState<PriceVersion | null | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);

  const available = models.data?.data ?? [];
  const selected = model !== '' ? model : (available[0]?.id ?? '');

  // The price in force on the card the gateway bills this model at, when there is one.
  useEffect(() => {
    if (selected === '') return undefined;
    const controller = new AbortController();
    setPrice(undefined);
    const findCard = async (): Promise<ModelCard | undefined> => {
      if (isCardId(selected)) {
        const card = await client.get<ModelDetail>(`/store/v1/models/${encodeURIComponent(selected)}`, {}, controller.signal).catch(() => undefined);
        if (card !== undefined) return card;
      }
      const page = await client.get<ListPage<ModelCard>>('/store/v1/models', { q: storeSearchText(selected), limit: 100 }, controller.signal).catch(() => undefined);
      return page?.data.find((card) => cardPricesModel(card, selected));
    };
    void findCard().then((card) => {
      if (!controller.signal.aborted) setPrice(card?.price ?? null);
    });
    return () => controller.abort();
  }, [client, selected]);

  if (identity === null) {
    return (
      <section aria-labelledby="playground-title">
        <h1 id="playground-title">{t('nav.playground')}</h1>
        <SignInFirst />
      </section>
    );
  }

  const history: ChatTurn[] = [...(system.trim() === '' ? [] : [{ role: 'system' as const, content: system }]), ...messages.map(({ role, content }) => ({ role, content }))];
  const parameters = { model: selected, temperature, maxTokens: maxTokens === '' ? null : Number(maxTokens) };
  const preview = buildChatRequest(parameters, [...history, { role: 'user', content: draft === '' ? t('playground.examplePrompt') : draft }]);
  const samples = codeSamples(window.location.origin, preview);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() === '' || selected === '') return;
    const userTurn: ShownMessage = { role: 'user', content: draft };
    const request = buildChatRequest(parameters, [...history, userTurn]);
    setMessages((previous) => [...previous, userTurn, { role: 'assistant', content: '', streaming: true }]);
    setDraft('');
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    const updateLast = (change: (message: ShownMessage) => ShownMessage) => setMessages((previous) => [...previous.slice(0, -1), change(previous[previous.length - 1] ?? { role: 'assistant', content: '' })]);
    try {
      const response = await client.send('POST', '/v1/chat/completions', { body: request, signal: controller.signal, accept: 'text/event-stream' });
      if (response.body === null) throw new ApiError(0, t('playground.noBody'), null, null, response.headers.get('x-request-id'));
      for await (const chunk of readChatCompletionStream(response.body)) {
        const text = chunk.choices.map((choice) => choice.delta.content ?? '').join('');
        if (text !== '') updateLast((message) => ({ ...message, content: message.content + text }));
        const usage = chunk.usage;
        if (usage !== undefined && usage !== null) {
          const cost = price === undefined || price === null ? null : { amount: costOfTokens(price, usage.prompt_tokens, usage.completion_tokens), currency: price.currency };
          updateLast((message) => ({ ...message, usage, cost }));
        }
      }
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === 'AbortError')) setError(failure);
    } finally {
      updateLast((message) => ({ ...message, streaming: false }));
      abort.current = null;
    }
  };

  const streaming = abort.current !== null || messages.some((message) => message.streaming === true);
  return (
    <section aria-labelledby="playground-title">
      <h1 id="playground-title">{t('nav.playground')}</h1>
      <ErrorNotice error={models.error} />
      {models.loading ? <Loading /> : null}
      <div className="playground">
        <div>
          <ol className="chat-log" aria-label={t('playground.conversation')} aria-live="polite">
            {messages.map((message, index) => (
              <li key={index} className="chat-message" data-role={message.role}>
                <strong>{message.role === 'user' ? t('playground.you') : t('playground.assistant')}: </strong>
                <span className="chat-text">{message.content}</span>
                {message.streaming === true ? <span className="muted"> {t('playground.streaming')}</span> : null}
                {message.usage === undefined ? null : (
                  <div className="chat-meta" data-testid="message-usage">
                    {t('playground.tokens', { prompt: format.tokens(message.usage.prompt_tokens), completion: format.tokens(message.usage.completion_tokens) })}
                    {' · '}
                    {message.cost === null || message.cost === undefined ? t('playground.costUnknown') : t('playground.cost', { cost: format.money(message.cost.amount, message.cost.currency) })}
                  </div>
                )}
              </li>
            ))}
          </ol>
          <ErrorNotice error={error} />
          <form onSubmit={(event) => void send(event)} className="panel">
            <div className="field">
              <label htmlFor="playground-message">{t('playground.message')}</label>
              <textarea id="playground-message" rows={3} value={draft} onChange={(event) => setDraft(event.target.value)} onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
              }} />
              <p className="hint">{t('playground.sendHint')}</p>
            </div>
            <div className="actions">
              <button type="submit" disabled={streaming || selected === ''}>
                {t('playground.send')}
              </button>
              <button type="button" className="secondary" disabled={!streaming} onClick={() => abort.current?.abort()}>
                {t('playground.stop')}
              </button>
              <button type="button" className="secondary" onClick={() => setMessages([])} disabled={streaming}>
                {t('playground.clear')}
              </button>
              <button type="button" className="secondary" aria-expanded={showCode} aria-controls="playground-code" onClick={() => setShowCode(!showCode)}>
                {t('playground.viewCode')}
              </button>
            </div>
          </form>
          {showCode ? (
            <section id="playground-code" aria-label={t('playground.viewCode')}>
              <h2>curl</h2>
              <pre className="code" tabIndex={0}>{samples.curl}</pre>
              <h2>JavaScript (openai)</h2>
              <pre className="code" tabIndex={0}>{samples.javascript}</pre>
              <h2>Python (openai)</h2>
              <pre className="code" tabIndex={0}>{samples.python}</pre>
            </section>
          ) : null}
        </div>
        <aside className="panel" aria-label={t('playground.parameters')}>
          <div className="field">
            <label htmlFor="playground-model">{t('playground.model')}</label>
            <select id="playground-model" value={selected} onChange={(event) => setModel(event.target.value)}>
              {selected !== '' && !available.some((entry) => entry.id === selected) ? <option value={selected}>{selected}</option> : null}
              {available.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.id}
                </option>
              ))}
            </select>
            <p className="hint">{price === undefined ? '' : price === null ? t('playground.noPrice') : t('price.perMillion', { input: format.money(price.input_per_million_tokens, price.currency), output: format.money(price.output_per_million_tokens, price.currency) })}</p>
          </div>
          <div className="field">
            <label htmlFor="playground-temperature">{t('playground.temperature', { value: format.number(temperature, 1) })}</label>
            <input id="playground-temperature" type="range" min={0} max={2} step={0.1} value={temperature} onChange={(event) => setTemperature(Number(event.target.value))} />
          </div>
          <div className="field">
            <label htmlFor="playground-max-tokens">{t('playground.maxTokens')}</label>
            <input id="playground-max-tokens" type="number" min={1} step={1} value={maxTokens} onChange={(event) => setMaxTokens(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="playground-system">{t('playground.system')}</label>
            <textarea id="playground-system" rows={3} value={system} onChange={(event) => setSystem(event.target.value)} />
          </div>
        </aside>
      </div>
    </section>
  );
}
