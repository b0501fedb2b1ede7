// /store/v1/gpts/{gpt}/knowledge: a GPT builder uploads files (the raw file as the body, its
// name in ?filename=), lists and deletes them, adds live sources (URL, feed, webhook), previews
// retrieval and reads the knowledge status. Every route needs the right to edit the GPT (the
// injected requireEditable), except the webhook push, which is authenticated by the source's
// own secret and is registered apart, where no API key is asked for.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';
import { invalidRequest, ModelmartError } from '../../core/index.js';
import { createKnowledgeSourceInputSchema, pushDocumentsInputSchema, type KnowledgeService, type KnowledgeSourceService } from '../../gpts/index.js';
import { bearerToken, requirePrincipal } from '../middleware/authentication.js';

export interface StoreGptKnowledgeRouteOptions {
  readonly knowledge: KnowledgeService;
  readonly sources: KnowledgeSourceService;
  /** Resolves the GPT (id or slug) the principal may edit, or throws 404/403. */
  readonly requireEditable: (gptReference: string, principal: Principal) => Promise<{ readonly id: string }>;
  /** config.gpts.knowledge.maxFileBytes: an upload is cut off with 413 past it. */
  readonly maxFileBytes: number;
  /** How many passages the search preview returns unless ?limit= says; default 5. */
  readonly defaultSearchLimit?: number;
}

type GptParams = { Params: { gpt: string } };
type ItemParams = { Params: { gpt: string; id: string } };

const uploadQuerySchema = z.strictObject({ filename: z.string().trim().min(1, "Name the file in the query: ?filename=NAME (its extension says its type).").max(255) });
const searchQuerySchema = z.strictObject({
  q: z.string().max(2_000),
  limit: z.coerce.number().int().min(1).max(50).optional(),
  mode: z.enum(['hybrid', 'full_text', 'vector']).optional(),
});

function parseQuery<Output>(schema: z.ZodType<Output>, query: unknown): Output {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.join('.') || null;
  throw invalidRequest(issue === undefined ? 'Invalid query parameters.' : `${param ?? 'query'}: ${issue.message}`, param);
}

function tooLarge(limit: number, received: number | null): ModelmartError {
  const size = received === null ? 'larger than that' : `${received} bytes`;
  return new ModelmartError(413, `A knowledge file may be at most ${limit} bytes (gpts.knowledge.maxFileBytes); this one is ${size}.`, { code: 'knowledge_limit_exceeded', param: 'file' });
}

/** The file upload's own scope: every content type is read as raw bytes, up to the file limit. */
function registerUploadRoute(app: FastifyInstance, options: StoreGptKnowledgeRouteOptions): void {
  const { knowledge, requireEditable, maxFileBytes } = options;
  const editableGpt = new WeakMap<FastifyRequest, string>();
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxFileBytes) {
        payload.resume();
        done(tooLarge(maxFileBytes, declared), undefined);
        return;
      }
      const parts: Buffer[] = [];
      let received = 0;
      let finished = false;
      payload.on('data', (part: Buffer) => {
        if (finished) return;
        received += part.length;
        if (received > maxFileBytes) {
          finished = true;
          done(tooLarge(maxFileBytes, null), undefined);
          return;
        }
        parts.push(part);
      });
      payload.on('end', () => {
        if (finished) return;
        finished = true;
        done(null, Buffer.concat(parts));
      });
      payload.on('error', (error: Error) => {
        if (finished) return;
        finished = true;
        done(error, undefined);
      });
    });

    scope.post<GptParams>(
      '/store/v1/gpts/:gpt/knowledge/files',
      {
        // Checked before the body is read: nobody uploads megabytes to a GPT they may not edit.
        onRequest: async (request) => {
          const gpt = await requireEditable(request.params.gpt, requirePrincipal(request));
          editableGpt.set(request, gpt.id);
        },
      },
      async (request, reply) => {
        const gptId = editableGpt.get(request) ?? (await requireEditable(request.params.gpt, requirePrincipal(request))).id;
        const { filename } = parseQuery(uploadQuerySchema, request.query);
        if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw invalidRequest('Send the file itself as the request body; it was empty.', 'file', 'empty_file');
        const contentType = request.headers['content-type'];
        const document = await knowledge.addFile(gptId, filename, request.body, contentType === 'application/octet-stream' ? undefined : contentType);
        return reply.code(201).send(document);
      },
    );
  });
}

export function registerStoreGptKnowledgeRoutes(app: FastifyInstance, options: StoreGptKnowledgeRouteOptions): void {
  const { knowledge, sources, requireEditable } = options;
  const editable = async (request: FastifyRequest<GptParams>): Promise<string> => (await requireEditable(request.params.gpt, requirePrincipal(request))).id;

  registerUploadRoute(app, options);

  app.get<GptParams>('/store/v1/gpts/:gpt/knowledge/files', async (request) => ({ object: 'list', data: await knowledge.listDocuments(await editable(request), { filesOnly: true }) }));

  app.delete<ItemParams>('/store/v1/gpts/:gpt/knowledge/files/:id', async (request) => {
    const removed = await knowledge.deleteDocument(await editable(request), request.params.id);
    return { object: 'gpt.knowledge.document', id: removed.id, deleted: true };
  });

  app.get<GptParams>('/store/v1/gpts/:gpt/knowledge', async (request) => knowledge.status(await editable(request)));

  app.get<GptParams>('/store/v1/gpts/:gpt/knowledge/search', async (request) => {
    const gptId = await editable(request);
    const query = parseQuery(searchQuerySchema, request.query);
    const passages = await knowledge.retrieve(gptId, query.q, { limit: query.limit ?? options.defaultSearchLimit ?? 5, caller: requirePrincipal(request), ...(query.mode === undefined ? {} : { mode: query.mode }) });
    return {
      object: 'list',
      data: passages.map((passage) => ({
        object: 'gpt.knowledge.passage',
        chunk_id: passage.chunkId,
        document_id: passage.documentId,
        title: passage.title,
        source: passage.source,
        date: passage.date,
        score: passage.score,
        text: passage.text,
      })),
    };
  });

  app.post<GptParams>('/store/v1/gpts/:gpt/knowledge/sources', async (request, reply) => {
    const gptId = await editable(request);
    const body = parseBody(createKnowledgeSourceInputSchema, request.body);
    return reply.code(201).send(await sources.createSource(gptId, body));
  });

  app.get<GptParams>('/store/v1/gpts/:gpt/knowledge/sources', async (request) => ({ object: 'list', data: await sources.listSources(await editable(request)) }));

  app.get<ItemParams>('/store/v1/gpts/:gpt/knowledge/sources/:id', async (request) => sources.getSource(await editable(request), request.params.id));

  app.delete<ItemParams>('/store/v1/gpts/:gpt/knowledge/sources/:id', async (request) => {
    const removed = await sources.deleteSource(await editable(request), request.params.id);
    return { object: 'gpt.knowledge.source', id: removed.id, deleted: true };
  });
}

/**
 * POST /store/v1/gpts/{gpt}/knowledge/sources/{id}/documents: a webhook source's push, with the
 * source's secret as the bearer token instead of an API key. Register it where no API key is
 * required (the source id and its secret name the GPT).
 */
export function registerStoreGptKnowledgeWebhookRoute(app: FastifyInstance, options: { readonly sources: KnowledgeSourceService }): void {
  app.post<ItemParams>('/store/v1/gpts/:gpt/knowledge/sources/:id/documents', async (request, reply) => {
    // The secret first: a stranger learns nothing about the body's shape.
    await options.sources.verifyWebhookSecret(request.params.id, bearerToken(request));
    const body = parseBody(pushDocumentsInputSchema, request.body);
    const documents = await options.sources.pushDocuments(request.params.id, bearerToken(request), body);
    return reply.code(201).send({ object: 'list', data: documents });
  });
}
