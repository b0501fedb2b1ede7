// Knowledge embeddings are model calls like any other, so they go through the same limits, holds
// and usage ledger. Who pays: a run's caller for the query it retrieves with (the run is theirs),
// and the GPT's own organisation and project for indexing its documents. Indexing is the GPT's
// cost whoever uploads a file, and a live source is polled in the background with no API key
// behind it, so indexing is metered under the key id `knowledge-indexing-<gpt id>`: usage reports
// show what each GPT's knowledge cost, and one GPT's indexing never uses up another's key limits.
import { defaultOrganisationId, defaultProjectId, systemPrincipal, type Principal } from '../../accounts/index.js';
import { textTokenBound } from '../../api/token-counting.js';
import { newRequestId } from '../../core/index.js';
import type { RoutePlan, Router } from '../../routing/index.js';
import type { GptMeteredStep } from '../runner/gpt-run-types.js';
import type { Database } from '../../storage/index.js';
import type { EmbedTexts, EmbeddingPayer } from './knowledge-retrieval.js';

/** What metering needs to admit one embeddings call (GatewayMetering.admit in the server). */
export interface KnowledgeEmbeddingsAdmission {
  readonly requestId: string;
  readonly principal: Principal;
  readonly plan: RoutePlan;
  readonly promptTokenBound: () => number;
  /** The GPT of a run's query embedding; null for indexing (its key id names the GPT, and creator statistics count callers' use only). */
  readonly gptId: string | null;
}

/** An admitted call is the same as a GPT run's admitted step: `onUsage` for the router, `abandon` on failure. */
export type AdmitKnowledgeEmbeddings = (admission: KnowledgeEmbeddingsAdmission) => Promise<GptMeteredStep>;

/** Indexing is metered as the GPT's organisation and project, with no scopes of its own. */
async function indexingPrincipal(database: Database, gptId: string): Promise<Principal> {
  const owner = await database.kysely.selectFrom('gpts').select(['organisation_id', 'project_id']).where('id', '=', gptId).executeTakeFirst();
  return systemPrincipal({
    keyId: `knowledge-indexing-${gptId}`,
    keyName: 'GPT knowledge indexing',
    role: 'user',
    // A GPT deleted while its document was being indexed: the installation's default organisation pays.
    organisationId: owner?.organisation_id ?? defaultOrganisationId,
    projectId: owner?.project_id ?? defaultProjectId,
    organisationRole: 'member',
  });
}

/**
 * Embeds texts with the configured embeddings model through the router, metered when `admit` is
 * given (a server built with billing); vectors come back in the order of the texts.
 */
export function meteredKnowledgeEmbedder(options: { readonly router: Router; readonly model: string; readonly database: Database; readonly admit?: AdmitKnowledgeEmbeddings | undefined }): EmbedTexts {
  const { router, model, database, admit } = options;
  return async (texts: readonly string[], payer: EmbeddingPayer): Promise<number[][]> => {
    const plan = router.resolve(model);
    const requestId = newRequestId();
    const call =
      admit === undefined
        ? undefined
        : await admit({
            requestId,
            principal: payer.caller ?? (await indexingPrincipal(database, payer.gptId)),
            plan,
            promptTokenBound: () => texts.reduce((total, text) => total + textTokenBound(text), 0),
            gptId: payer.caller === undefined ? null : payer.gptId,
          });
    try {
      const execution = await router.executeEmbeddings(plan, { input: [...texts] }, { requestId, ...(call === undefined ? {} : { onUsage: call.onUsage }) });
      return [...execution.result.data].sort((left, right) => left.index - right.index).map((item) => [...item.embedding]);
    } catch (error) {
      call?.abandon();
      throw error;
    }
  };
}
