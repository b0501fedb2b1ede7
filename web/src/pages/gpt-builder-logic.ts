// Pure logic behind the GPT builder: the form a draft is edited in and the PATCH it makes, the
// knowledge upload (the raw file as the body, its name in ?filename=), checks made before a file
// is sent, the body of an OpenAPI action and of its test call.
import type { ApiClient } from '../api/api-client';
import type { ActionAuth, GptCapabilities, GptDraft, GptVisibility, KnowledgeFile, KnowledgeStatus } from '../api/gpt-types';

export interface BuilderForm {
  readonly name: string;
  readonly slug: string;
  readonly description: string;
  readonly category: string;
  readonly instructions: string;
  readonly baseModel: string;
  /** One conversation starter a line. */
  readonly starters: string;
  readonly capabilities: GptCapabilities;
  readonly visibility: GptVisibility;
}

export const maximumStarters = 10;
const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

export function formFromDraft(draft: GptDraft): BuilderForm {
  return {
    name: draft.name,
    slug: draft.slug,
    description: draft.description,
    category: draft.category ?? '',
    instructions: draft.instructions,
    baseModel: draft.base_model,
    starters: draft.conversation_starters.join('\n'),
    capabilities: draft.capabilities,
    visibility: draft.visibility,
  };
}

export function startersFromText(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export type BuilderProblem = 'gpts.builder.problem.name' | 'gpts.builder.problem.slug' | 'gpts.builder.problem.baseModel' | 'gpts.builder.problem.starters';

/** What is wrong with the form before it is sent, as message keys (the API checks again). */
export function formProblems(form: BuilderForm): BuilderProblem[] {
  const problems: BuilderProblem[] = [];
  if (form.name.trim() === '' || form.name.trim().length > 100) problems.push('gpts.builder.problem.name');
  if (!slugPattern.test(form.slug)) problems.push('gpts.builder.problem.slug');
  if (form.baseModel.trim() === '') problems.push('gpts.builder.problem.baseModel');
  if (startersFromText(form.starters).length > maximumStarters) problems.push('gpts.builder.problem.starters');
  return problems;
}

/** The PATCH body: only the fields that differ from the draft, so a save never undoes someone else's change to another field. */
export function draftChanges(form: BuilderForm, draft: GptDraft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (form.name.trim() !== draft.name) changes.name = form.name.trim();
  if (form.slug !== draft.slug) changes.slug = form.slug;
  if (form.description !== draft.description) changes.description = form.description;
  const category = form.category === '' ? null : form.category;
  if (category !== draft.category) changes.category = category;
  if (form.instructions !== draft.instructions) changes.instructions = form.instructions;
  if (form.baseModel !== draft.base_model) changes.base_model = form.baseModel;
  const starters = startersFromText(form.starters);
  if (starters.join('\n') !== draft.conversation_starters.join('\n')) changes.conversation_starters = starters;
  if (form.capabilities.knowledge !== draft.capabilities.knowledge || form.capabilities.actions !== draft.capabilities.actions) changes.capabilities = form.capabilities;
  if (form.visibility !== draft.visibility) changes.visibility = form.visibility;
  return changes;
}

/** The models a GPT may be built on: what GET /v1/models lists, without the GPTs themselves. */
export function baseModelChoices(models: readonly { readonly id: string }[], current: string): string[] {
  const names = models.map((model) => model.id).filter((id) => !id.startsWith('gpt:'));
  return current !== '' && !names.includes(current) ? [current, ...names] : names;
}

export const knowledgeExtensions = ['txt', 'md', 'html', 'htm', 'pdf', 'docx', 'csv', 'json'] as const;

export type FileProblem = { readonly key: 'gpts.knowledge.problem.type'; readonly name: string } | { readonly key: 'gpts.knowledge.problem.size'; readonly name: string; readonly limit: number };

/** Checks the API would refuse with 415 or 413, made before sending the bytes. */
export function fileProblem(file: { readonly name: string; readonly size: number }, limits: KnowledgeStatus['limits'] | undefined): FileProblem | null {
  const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
  if (!(knowledgeExtensions as readonly string[]).includes(extension)) return { key: 'gpts.knowledge.problem.type', name: file.name };
  if (limits !== undefined && file.size > limits.max_file_bytes) return { key: 'gpts.knowledge.problem.size', name: file.name, limit: limits.max_file_bytes };
  return null;
}

export function knowledgeUploadPath(gptId: string, filename: string): string {
  return `/store/v1/gpts/${encodeURIComponent(gptId)}/knowledge/files?${new URLSearchParams({ filename }).toString()}`;
}

/** Sends a knowledge file as the raw request body, with its own content type (any is accepted). */
export async function uploadKnowledgeFile(client: Pick<ApiClient, 'send'>, gptId: string, file: Blob & { readonly name: string }): Promise<KnowledgeFile> {
  const response = await client.send('POST', knowledgeUploadPath(gptId, file.name), { rawBody: { content: file, contentType: file.type === '' ? 'application/octet-stream' : file.type } });
  return (await response.json()) as KnowledgeFile;
}

/** Whether the file list still holds a file being indexed, so the builder polls again. */
export function stillIndexing(files: readonly Pick<KnowledgeFile, 'status'>[]): boolean {
  return files.some((file) => file.status !== 'indexed' && file.status !== 'failed');
}

export interface ActionAuthForm {
  readonly type: ActionAuth['type'];
  readonly keyIn: 'header' | 'query';
  readonly keyName: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly scopes: string;
  /** Empty: keep the stored secret (or none). */
  readonly secret: string;
}

export const emptyAuthForm: ActionAuthForm = { type: 'none', keyIn: 'header', keyName: '', tokenUrl: '', clientId: '', scopes: '', secret: '' };

export function actionAuth(form: ActionAuthForm): Record<string, unknown> {
  const secret = form.secret === '' ? {} : { secret: form.secret };
  switch (form.type) {
    case 'none':
      return { type: 'none' };
    case 'bearer':
      return { type: 'bearer', ...secret };
    case 'api_key':
      return { type: 'api_key', in: form.keyIn, name: form.keyName.trim(), ...secret };
    case 'oauth2_client_credentials': {
      const scopes = form.scopes.split(/[\s,]+/).filter((scope) => scope !== '');
      return { type: 'oauth2_client_credentials', token_url: form.tokenUrl.trim(), client_id: form.clientId.trim(), ...(scopes.length === 0 ? {} : { scopes }), ...secret };
    }
  }
}

/** The body that adds (or, without `kind`, replaces) an OpenAPI action: the document as pasted, JSON or YAML. */
export function openApiActionBody(document: string, baseUrl: string, auth: ActionAuthForm): Record<string, unknown> {
  return { kind: 'openapi', document, ...(baseUrl.trim() === '' ? {} : { base_url: baseUrl.trim() }), auth: actionAuth(auth) };
}

/** The test call's body, or null when the arguments are not a JSON object. */
export function actionTestBody(tool: string, argumentsText: string): { readonly tool: string; readonly arguments: Record<string, unknown> } | null {
  const text = argumentsText.trim() === '' ? '{}' : argumentsText;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return { tool, arguments: parsed as Record<string, unknown> };
}
