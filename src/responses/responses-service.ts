// The Responses API service: POST /v1/responses served by translating to a chat completion
// (executed by whatever the caller passes in, so this folder does not depend on routing),
// with stored conversation state for previous_response_id, retrieve and delete.
import { newId, notFound, systemClock, type Clock, type Logger, type ModelmartError } from '../core/index.js';
import type { ChatCompletion, ChatCompletionRequest } from '../api/index.js';
import type { InputItem, ResponseDeleted, ResponseObject, ResponseStreamEvent, ResponsesRequest } from '../api/responses-schemas.js';
import type { StreamPart } from '../providers/provider-contract.js';
import type { Database } from '../storage/index.js';
import { outputItemsAsInput, resolveConversation, responsesRequestToChatRequest, type ResolvedConversation } from './responses-request-translation.js';
import { chatCompletionToResponse, createResponseSkeleton, randomItemId, type ItemIdFactory } from './responses-output-translation.js';
import { ResponseStreamTranslator } from './responses-stream-translation.js';
import { ResponsesRepository } from './responses-repository.js';

export type ExecuteChat = (request: ChatCompletionRequest, signal: AbortSignal) => Promise<ChatCompletion>;
export type ExecuteStreamChat = (request: ChatCompletionRequest, signal: AbortSignal) => AsyncIterable<StreamPart>;

export interface CreateResponseOptions {
  /** The API key making the request: it owns what is stored and may only continue its own responses. */
  readonly keyId: string;
  readonly executeChat: ExecuteChat;
  readonly executeStreamChat: ExecuteStreamChat;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

export type CreateResponseResult =
  | { readonly kind: 'response'; readonly response: ResponseObject }
  | { readonly kind: 'stream'; readonly events: AsyncIterable<ResponseStreamEvent> };

export interface ResponsesServiceOptions {
  /** Where a failure to store an abandoned stream is reported (nobody is left to tell). */
  readonly logger?: Logger;
  readonly newItemId?: ItemIdFactory;
}

export class ResponsesService {
  private readonly repository: ResponsesRepository;
  private readonly logger: Logger | undefined;
  private readonly newItemId: ItemIdFactory;

  constructor(
    database: Database,
    private readonly clock: Clock = systemClock,
    options: ResponsesServiceOptions = {},
  ) {
    this.repository = new ResponsesRepository(database.kysely);
    this.logger = options.logger;
    this.newItemId = options.newItemId ?? randomItemId;
  }

  /**
   * Runs one turn. Throws (before any event) for an unknown previous_response_id, invalid input,
   * or an upstream that fails before its first part; later failures end the stream with
   * `response.failed`.
   */
  async create(request: ResponsesRequest, options: CreateResponseOptions): Promise<CreateResponseResult> {
    const conversation = resolveConversation(await this.inheritedItems(request, options.keyId), request);
    const skeleton = createResponseSkeleton(request, { id: newId('resp'), createdAt: this.clock.now() });
    const stream = request.stream === true;
    const chatRequest = responsesRequestToChatRequest(request, conversation, { stream });
    if (!stream) {
      const completion = await options.executeChat(chatRequest, options.signal);
      const response = chatCompletionToResponse(completion, skeleton, this.newItemId);
      if (request.store) await this.repository.insert({ response, inputItems: conversation.items, keyId: options.keyId });
      return { kind: 'response', response };
    }
    const iterator = options.executeStreamChat(chatRequest, options.signal)[Symbol.asyncIterator]();
    // Waiting for the first part lets routing and connection errors become an HTTP error
    // status instead of a stream that fails at once.
    const first = await iterator.next();
    const translator = new ResponseStreamTranslator(skeleton, this.newItemId);
    return { kind: 'stream', events: this.streamEvents(translator, iterator, first, conversation, request.store, options) };
  }

  async retrieve(id: string, keyId: string): Promise<ResponseObject> {
    const stored = await this.repository.findOwned(id, keyId);
    if (stored === undefined) throw responseNotFound(id);
    return stored.response;
  }

  async delete(id: string, keyId: string): Promise<ResponseDeleted> {
    if (!(await this.repository.deleteOwned(id, keyId))) throw responseNotFound(id);
    return { id, object: 'response', deleted: true };
  }

  private async inheritedItems(request: ResponsesRequest, keyId: string): Promise<readonly InputItem[]> {
    const previousId = request.previous_response_id;
    if (previousId === undefined || previousId === null) return [];
    const previous = await this.repository.findOwned(previousId, keyId);
    if (previous === undefined) {
      throw notFound(`Previous response with id '${previousId}' not found.`, 'previous_response_not_found', 'previous_response_id');
    }
    return [...previous.inputItems, ...outputItemsAsInput(previous.response.output)];
  }

  /** Registers the abort handling at once, so a stream abandoned before it is read is still stored. */
  private streamEvents(
    translator: ResponseStreamTranslator,
    iterator: AsyncIterator<StreamPart>,
    first: IteratorResult<StreamPart>,
    conversation: ResolvedConversation,
    store: boolean,
    options: CreateResponseOptions,
  ): AsyncGenerator<ResponseStreamEvent, void, undefined> {
    const { signal, keyId } = options;
    let storing: Promise<void> | undefined;
    // The first call wins: a stream is stored once, as it stood when it ended or was abandoned.
    const storeOnce = (response: ResponseObject): Promise<void> => {
      storing ??= store ? this.repository.insert({ response, inputItems: conversation.items, keyId }) : Promise.resolve();
      return storing;
    };
    const reportStoreFailure = (error: unknown): void => {
      this.logger?.error({ err: error, responseId: translator.snapshot().id }, 'could not store a streamed response');
    };
    let exhausted = first.done === true;
    // A consumer may stop pulling without ever closing the generator; the abort still stores.
    const onAbort = (): void => {
      if (!translator.finished) storeOnce(translator.interruptedSnapshot()).catch(reportStoreFailure);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    async function* events(): AsyncGenerator<ResponseStreamEvent, void, undefined> {
      try {
        let terminal: ResponseStreamEvent[];
        try {
          yield* translator.begin();
          let next = first;
          // After an abort nothing more is read, even from an upstream that ignores the signal.
          while (next.done !== true && !signal.aborted) {
            yield* translator.accept(next.value);
            if (!signal.aborted) next = await iterator.next();
          }
          exhausted = next.done === true;
          terminal = signal.aborted ? translator.interrupt() : translator.complete();
        } catch (error) {
          exhausted = true;
          terminal = signal.aborted ? translator.interrupt() : translator.fail(error);
        }
        // Stored before the terminal event goes out, so a client that continues at once finds it.
        await storeOnce(translator.snapshot());
        yield* terminal;
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (!translator.finished) translator.interrupt();
        if (!exhausted) await iterator.return?.().catch(() => undefined);
        // A failure here was already thrown above or reported by the abort handler.
        await storeOnce(translator.snapshot()).catch(reportStoreFailure);
      }
    }
    return events();
  }
}

function responseNotFound(id: string): ModelmartError {
  return notFound(`Response with id '${id}' not found.`, 'response_not_found', 'response_id');
}
