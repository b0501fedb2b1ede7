// The GPT domain's composition: one factory builds every GPT service over one database and
// configuration (definitions and versions, knowledge and its live sources, actions and the
// SSRF-safe client, the store, the runner), so the server, the CLI and the tests wire them the
// same way.
import type { CatalogService } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import { systemClock, type Clock, type Logger } from '../core/index.js';
import type { Router } from '../routing/index.js';
import type { Database } from '../storage/index.js';
import { GptActionService, GptActionStore, GptActionToolbox, SafeHttpClient, type SafeHttpClientOptions } from './actions/index.js';
import { ActionToolExecutor } from './actions/action-tool-executor.js';
import { GptExchange, GptService } from './definitions/index.js';
import { KnowledgeService, KnowledgeSourcePoller, KnowledgeSourceService, meteredKnowledgeEmbedder, type AdmitKnowledgeEmbeddings } from './knowledge/index.js';
import { GptRunner } from './runner/index.js';
import { GptStore, type GptStoreOptions } from './store/index.js';

export interface GptServicesOptions {
  readonly database: Database;
  readonly config: Config;
  /** Resolves base models (and checks them when a GPT is saved) and embeds knowledge when an embeddings model is configured. */
  readonly router: Router;
  readonly logger: Logger;
  readonly catalog?: CatalogService | undefined;
  /** Meters knowledge embeddings calls (the server's GatewayMetering); without it they are not metered. */
  readonly admitEmbeddings?: AdmitKnowledgeEmbeddings | undefined;
  readonly clock?: Clock;
  /** DNS for the outbound client; tests give names here. */
  readonly lookup?: SafeHttpClientOptions['lookup'];
  /** How often the poller looks for due sources (default 5 s); tests make it short. */
  readonly pollerTickMilliseconds?: number;
  /** The shortest poll interval a source may ask for (default 10 s); tests make it short. */
  readonly minimumPollIntervalSeconds?: number;
  /** Domain verification settings of the store (tests serve the well-known file over http). */
  readonly storeOptions?: Pick<GptStoreOptions, 'resolveTxt' | 'wellKnownScheme' | 'wellKnownPort' | 'ratingPrior'>;
}

export interface GptServices {
  readonly definitions: GptService;
  readonly exchange: GptExchange;
  readonly httpClient: SafeHttpClient;
  readonly actionStore: GptActionStore;
  readonly actions: GptActionService;
  readonly toolbox: GptActionToolbox;
  readonly knowledge: KnowledgeService;
  /** Live sources: URLs, feeds and webhooks. */
  readonly sources: KnowledgeSourceService;
  /** Polls due live sources (leased in the database, so replicas poll each once); run by start(). */
  readonly poller: KnowledgeSourcePoller;
  readonly store: GptStore;
  readonly runner: GptRunner;
  /** Starts the background work (live knowledge sources). */
  start(): void;
  /** Stops it and waits for what is running. */
  stop(): Promise<void>;
}

export function createGptServices(options: GptServicesOptions): GptServices {
  const { database, config, router, logger } = options;
  const clock = options.clock ?? systemClock;
  const httpClient = new SafeHttpClient(config.gpts.outbound, options.lookup === undefined ? {} : { lookup: options.lookup });
  const actionStore = new GptActionStore({ database, security: config.security, clock });
  // One executor (with its OAuth token cache) for the toolbox and the action tests of the store API.
  const executor = new ActionToolExecutor({ httpClient, readSecret: (actionId) => actionStore.readSecret(actionId), clock });
  const toolbox = new GptActionToolbox({ database, config, httpClient, store: actionStore, executor, clock });
  const actions = new GptActionService({ store: actionStore, executor, httpClient, config, clock });
  const modelExists = (name: string): boolean => {
    try {
      router.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  const definitions = new GptService({ database, config: config.gpts, clock, modelExists, toolbox });
  const exchange = new GptExchange(definitions);
  const embeddingsModel = config.gpts.knowledge.embeddingsModel;
  const embed = embeddingsModel === undefined ? undefined : meteredKnowledgeEmbedder({ router, model: embeddingsModel, database, admit: options.admitEmbeddings });
  const knowledge = new KnowledgeService({ database, config: config.gpts.knowledge, embed, clock, logger });
  const sources = new KnowledgeSourceService({ database, knowledge, http: httpClient, config: config.gpts.knowledge, clock, logger, minimumPollIntervalSeconds: options.minimumPollIntervalSeconds });
  const poller = new KnowledgeSourcePoller({ database, sources, clock, logger, tickMilliseconds: options.pollerTickMilliseconds });
  const store = new GptStore({ database, httpClient, clock, ...options.storeOptions });
  const runner = new GptRunner({ resolver: definitions, drafts: definitions, router, retriever: knowledge, toolbox, config: config.gpts, clock });
  return {
    definitions,
    exchange,
    httpClient,
    actionStore,
    actions,
    toolbox,
    knowledge,
    sources,
    poller,
    store,
    runner,
    start() {
      poller.start();
    },
    async stop() {
      await poller.stop();
    },
  };
}
