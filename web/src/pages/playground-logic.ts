// Pure logic behind the playground: the request it sends, the same call as curl and as
// `openai` SDK code, and how a model name finds its catalogue price.
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatParameters {
  readonly model: string;
  readonly temperature: number;
  readonly maxTokens: number | null;
}

export function buildChatRequest(parameters: ChatParameters, messages: readonly ChatTurn[]): Record<string, unknown> {
  return {
    model: parameters.model,
    messages: messages.map((message) => ({ role: message.role, content: message.content })),
    temperature: parameters.temperature,
    ...(parameters.maxTokens === null ? {} : { max_tokens: parameters.maxTokens }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
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
    '  if (chunk.usage) console.log(chunk.usage);',
    '}',
  ].join('\n');
  const python = [
    'import json, os',
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url="${origin}/v1", api_key=os.environ["MODELMART_API_KEY"])`,
    `request = json.loads(${JSON.stringify(JSON.stringify(request))})`,
    'stream = client.chat.completions.create(**request)',
    'for chunk in stream:',
    '    if chunk.choices:',
    '        print(chunk.choices[0].delta.content or "", end="")',
    '    if chunk.usage:',
    '        print(chunk.usage)',
  ].join('\n');
  return { curl, javascript, python };
}

/**
 * Card ids to look up for a gateway model name, most likely first: the name itself (a card id
 * or route), then the part after `<provider>/`.
 */
export function cardIdCandidates(modelName: string): string[] {
  const candidates = [modelName];
  const slash = modelName.indexOf('/');
  if (slash !== -1) candidates.push(modelName.slice(slash + 1));
  return candidates.map((candidate) => candidate.toLowerCase()).filter((candidate, index, all) => /^[a-z0-9][a-z0-9._-]{0,99}$/.test(candidate) && all.indexOf(candidate) === index);
}
