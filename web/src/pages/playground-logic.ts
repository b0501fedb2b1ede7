// Pure logic behind the playground: the request it sends, the same call as curl and as
// `openai` SDK code, and how a model name finds its catalogue price.
import type { ModelCard } from '../api/api-types';
import type { FunctionTool, ToolCall } from './playground-tools-logic';

/** A message of the conversation: an assistant's may carry tool calls, and a `tool` message answers one by its id. */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  readonly tool_calls?: readonly ToolCall[];
  readonly tool_call_id?: string;
}

function requestMessage(message: ChatTurn): Record<string, unknown> {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.tool_call_id ?? '', content: message.content };
  // An assistant turn that only called tools has no text: the API wants null there, not "".
  if (message.role === 'assistant' && message.tool_calls !== undefined && message.tool_calls.length > 0) return { role: 'assistant', content: message.content === '' ? null : message.content, tool_calls: message.tool_calls };
  return { role: message.role, content: message.content };
}

export interface ChatParameters {
  readonly model: string;
  readonly temperature: number;
  readonly maxTokens: number | null;
}

export function buildChatRequest(parameters: ChatParameters, messages: readonly ChatTurn[], tools: readonly FunctionTool[] = []): Record<string, unknown> {
  return {
    model: parameters.model,
    messages: messages.map(requestMessage),
    ...(tools.length === 0 ? {} : { tools }),
    temperature: parameters.temperature,
    ...(parameters.maxTokens === null ? {} : { max_tokens: parameters.maxTokens }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A JSON value as Python source: JSON's string escapes are valid in Python; true, false and null are not. */
export function toPythonLiteral(value: unknown, depth = 0): string {
  const indent = '    '.repeat(depth + 1);
  const closing = '    '.repeat(depth);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${indent}${toPythonLiteral(item, depth + 1)},`).join('\n')}\n${closing}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${indent}${JSON.stringify(key)}: ${toPythonLiteral(item, depth + 1)},`).join('\n')}\n${closing}}`;
}

/** The call as a reader would make it themselves; the key is left as a variable, never inlined. */
export function codeSamples(origin: string, request: Record<string, unknown>): { readonly curl: string; readonly javascript: string; readonly python: string } {
  const body = JSON.stringify(request, null, 2);
  const curl = [`curl ${origin}/v1/chat/completions \\`, '  -H "Authorization: Bearer $MODELMART_API_KEY" \\', '  -H "Content-Type: application/json" \\', `  -d ${shellQuote(body)}`].join('\n');
  const javascript = [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: '${origin}/v1', apiKey: process.env.MODELMART_API_KEY });`,
    `const stream = await client.chat.completions.create(${JSON.stringify(request, null, 2)});`,
    'for await (const chunk of stream) {',
    "  process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
    '  // With tools: function names and arguments arrive in pieces, by index.',
    '  for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) console.log(call.index, call.function?.name ?? \'\', call.function?.arguments ?? \'\');',
    '  if (chunk.usage) console.log(chunk.usage);',
    '}',
  ].join('\n');
  const python = [
    'import os',
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url="${origin}/v1", api_key=os.environ["MODELMART_API_KEY"])`,
    'stream = client.chat.completions.create(',
    ...Object.entries(request).map(([name, value]) => `    ${name}=${toPythonLiteral(value, 1)},`),
    ')',
    'for chunk in stream:',
    '    if chunk.choices:',
    '        print(chunk.choices[0].delta.content or "", end="")',
    '        for call in chunk.choices[0].delta.tool_calls or []:',
    '            print(call.index, call.function.name or "", call.function.arguments or "")',
    '    if chunk.usage:',
    '        print(chunk.usage)',
  ].join('\n');
  return { curl, javascript, python };
}

/**
 * Whether the gateway bills `name` at this card's price: the card's id, one of its
 * deployments' routes, or a deployment's `<provider>/<model>` (the same rule as the gateway's
 * pricing, so the cost shown is the cost charged).
 */
export function cardPricesModel(card: Pick<ModelCard, 'id' | 'deployments'>, name: string): boolean {
  if (card.id === name) return true;
  return card.deployments.some((deployment) => deployment.route === name || (deployment.provider !== undefined && deployment.model !== undefined && `${deployment.provider}/${deployment.model}` === name));
}

export function isCardId(name: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,99}$/.test(name);
}

/** What to search the store for to find the card that prices `name`: the model part of `<provider>/<model>`. */
export function storeSearchText(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(slash + 1);
}
