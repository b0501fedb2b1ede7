// The playground: chat with any model or GPT the key may use, streamed token by token, with the
// tokens and cost of every answer, function tools whose calls the user answers, and the same
// call (tools included) as code. The transcript and the tools editor are files of their own.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-client';
import type { GatewayModel, ListPage, ModelCard, ModelDetail, PriceVersion } from '../api/api-types';
import { readChatCompletionStream } from '../api/sse-reader';
import { costOfTokens } from '../api/store-query';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useApiData } from '../components/use-api-data';
import { buildChatRequest, cardPricesModel, codeSamples, isCardId, storeSearchText, type ChatTurn } from './playground-logic';
import ToolsEditor from './playground-tools-editor';
import { accumulateToolCalls, gptStepsOf, groupModels, toolCallDeltas, type FunctionTool } from './playground-tools-logic';
import Transcript, { type ShownMessage } from './playground-transcript';
import './playground-page.css';

/** What the request needs of a shown message: its role, text and tool fields, nothing of the display. */
function conversationTurn(message: ShownMessage): ChatTurn {
  return { role: message.role, content: message.content, ...(message.tool_calls === undefined ? {} : { tool_calls: message.tool_calls }), ...(message.tool_call_id === undefined ? {} : { tool_call_id: message.tool_call_id }) };
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
  const [tools, setTools] = useState<readonly FunctionTool[]>([]);
  const abort = useRef<AbortController | null>(null);

  const available = models.data?.data ?? [];
  const groups = groupModels(available);
  const selected = model !== '' ? model : (groups.models[0] ?? groups.gpts[0] ?? '');

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

  const history: ChatTurn[] = [...(system.trim() === '' ? [] : [{ role: 'system' as const, content: system }]), ...messages.map(conversationTurn)];
  const parameters = { model: selected, temperature, maxTokens: maxTokens === '' ? null : Number(maxTokens) };
  const preview = buildChatRequest(parameters, [...history, { role: 'user', content: draft === '' ? t('playground.examplePrompt') : draft }], tools);
  const samples = codeSamples(window.location.origin, preview);

  /** Sends the conversation with these new turns and streams the answer into a new assistant message. */
  const continueWith = async (newTurns: readonly ShownMessage[]) => {
    const request = buildChatRequest(parameters, [...history, ...newTurns.map(conversationTurn)], tools);
    setMessages((previous) => [...previous, ...newTurns, { role: 'assistant', content: '', streaming: true }]);
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
        // Tool calls come as deltas (an id and name first, then the arguments in pieces), matched by index.
        const deltas = chunk.choices.flatMap((choice) => toolCallDeltas(choice.delta));
        if (deltas.length > 0) updateLast((message) => ({ ...message, tool_calls: accumulateToolCalls(message.tool_calls ?? [], deltas) }));
        const steps = gptStepsOf(chunk);
        if (steps.length > 0) updateLast((message) => ({ ...message, steps }));
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

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() === '' || selected === '') return;
    const userTurn: ShownMessage = { role: 'user', content: draft };
    setDraft('');
    await continueWith([userTurn]);
  };

  /** The user's results for the last answer's tool calls, sent back as `tool` messages, one per call. */
  const sendToolResults = async (results: readonly string[]) => {
    const calls = messages[messages.length - 1]?.tool_calls ?? [];
    await continueWith(calls.map((call, index) => ({ role: 'tool', tool_call_id: call.id, toolName: call.function.name, content: results[index] ?? '' })));
  };

  const streaming = abort.current !== null || messages.some((message) => message.streaming === true);
  return (
    <section aria-labelledby="playground-title">
      <h1 id="playground-title">{t('nav.playground')}</h1>
      <ErrorNotice error={models.error} />
      {models.loading ? <Loading /> : null}
      <div className="playground">
        <div>
          <Transcript messages={messages} busy={streaming} onSendToolResults={(results) => void sendToolResults(results)} />
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
              {groups.models.length === 0 ? null : (
                <optgroup label={t('account.playground.models')}>
                  {groups.models.map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </optgroup>
              )}
              {groups.gpts.length === 0 ? null : (
                <optgroup label={t('account.playground.gpts')}>
                  {groups.gpts.map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </optgroup>
              )}
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
          <ToolsEditor tools={tools} onChange={setTools} />
        </aside>
      </div>
    </section>
  );
}
