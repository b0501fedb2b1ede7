// Responses request → Chat Completions request. Input items become chat messages (function
// calls join the assistant message before them, their outputs become tool messages), flat
// Responses tools become nested chat tools, and text.format becomes response_format.
import { invalidRequest } from '../core/index.js';
import type { ChatCompletionRequest, ChatMessage, ContentPart, FunctionTool, ToolCall } from '../api/index.js';
import type {
  FunctionCallOutputItem,
  InputItem,
  MessageContentPart,
  MessageItem,
  OutputItem,
  ResponsesFunctionTool,
  ResponsesRequest,
  ResponsesToolChoice,
  TextFormat,
} from '../api/responses-schemas.js';

/** The conversation a request continues: items inherited from the previous response, then its own. */
export interface ResolvedConversation {
  readonly items: readonly InputItem[];
  /** How many leading items came from previous_response_id (errors name the request's own index). */
  readonly inheritedCount: number;
}

export function normalizeInput(input: ResponsesRequest['input']): InputItem[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return [...input];
}

/** A response's output items, as the input items of the turn that continues it. */
export function outputItemsAsInput(output: readonly OutputItem[]): InputItem[] {
  return [...output];
}

export function resolveConversation(inherited: readonly InputItem[], request: ResponsesRequest): ResolvedConversation {
  return { items: [...inherited, ...normalizeInput(request.input)], inheritedCount: inherited.length };
}

export function toChatTool(tool: ResponsesFunctionTool): FunctionTool {
  const definition: FunctionTool['function'] = { name: tool.name };
  if (tool.description !== undefined && tool.description !== null) definition.description = tool.description;
  if (tool.parameters !== undefined && tool.parameters !== null) definition.parameters = tool.parameters;
  if (tool.strict !== undefined && tool.strict !== null) definition.strict = tool.strict;
  return { type: 'function', function: definition };
}

export function toResponsesTool(tool: FunctionTool): ResponsesFunctionTool {
  return {
    type: 'function',
    name: tool.function.name,
    description: tool.function.description ?? null,
    parameters: tool.function.parameters ?? null,
    strict: tool.function.strict ?? null,
  };
}

export function toChatToolChoice(choice: ResponsesToolChoice): NonNullable<ChatCompletionRequest['tool_choice']> {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

export function toChatResponseFormat(format: TextFormat): NonNullable<ChatCompletionRequest['response_format']> {
  if (format.type !== 'json_schema') return { type: format.type };
  const jsonSchema: Extract<NonNullable<ChatCompletionRequest['response_format']>, { type: 'json_schema' }>['json_schema'] = {
    name: format.name,
    schema: format.schema,
  };
  if (format.description !== undefined) jsonSchema.description = format.description;
  if (format.strict !== undefined) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}

type TextPart = { type: 'text'; text: string };

function unsupported(what: string, param: string): never {
  throw invalidRequest(`${what} is not supported by this model gateway's Responses API.`, param, 'unsupported_content');
}

function textOf(part: MessageContentPart): string | undefined {
  if (part.type === 'input_text' || part.type === 'output_text') return part.text;
  if (part.type === 'refusal') return part.refusal;
  return undefined;
}

function toTextParts(parts: readonly MessageContentPart[], param: string, role: string): TextPart[] {
  return parts.map((part, index) => {
    const text = textOf(part);
    if (text === undefined) unsupported(`'${part.type}' content in a ${role} message`, `${param}.content[${index}]`);
    return { type: 'text', text };
  });
}

function toUserPart(part: MessageContentPart, param: string): ContentPart {
  if (part.type === 'input_image') {
    if (part.image_url === undefined || part.image_url === null) unsupported('An input_image without image_url (file_id)', param);
    // Chat knows auto/low/high; "original" asks for full resolution, which is "high" there.
    const detail = part.detail === 'original' ? 'high' : part.detail;
    return { type: 'image_url', image_url: detail === undefined ? { url: part.image_url } : { url: part.image_url, detail } };
  }
  if (part.type === 'input_file') {
    const file: Record<string, unknown> = {};
    for (const key of ['file_id', 'file_data', 'file_url', 'filename'] as const) {
      if (part[key] !== undefined && part[key] !== null) file[key] = part[key];
    }
    return { type: 'file', file };
  }
  return { type: 'text', text: textOf(part) ?? '' };
}

function messageItemToChat(item: MessageItem, param: string): ChatMessage {
  const { role, content } = item;
  if (role === 'user') {
    if (typeof content === 'string') return { role, content };
    return { role, content: content.map((part, index) => toUserPart(part, `${param}.content[${index}]`)) };
  }
  if (role === 'system' || role === 'developer') {
    return { role, content: typeof content === 'string' ? content : toTextParts(content, param, role) };
  }
  if (typeof content === 'string') return { role, content };
  let text = '';
  let refusal = '';
  toTextParts(content, param, role).forEach((part, index) => {
    if (content[index]?.type === 'refusal') refusal += part.text;
    else text += part.text;
  });
  return refusal === '' ? { role, content: text } : { role, content: text === '' ? null : text, refusal };
}

function functionOutputToChat(item: FunctionCallOutputItem, param: string): ChatMessage {
  if (typeof item.output === 'string') return { role: 'tool', tool_call_id: item.call_id, content: item.output };
  const content = item.output.map((part, index): TextPart => {
    if (part.type !== 'input_text') unsupported(`'${part.type}' in a function_call_output`, `${param}.output[${index}]`);
    return { type: 'text', text: part.text };
  });
  return { role: 'tool', tool_call_id: item.call_id, content };
}

/** Chat messages for a conversation, after a system message carrying `instructions` if any. */
export function conversationToChatMessages(conversation: ResolvedConversation, instructions?: string | null): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instructions !== undefined && instructions !== null && instructions !== '') {
    messages.push({ role: 'system', content: instructions });
  }
  conversation.items.forEach((item, index) => {
    const ownIndex = index - conversation.inheritedCount;
    const param = ownIndex >= 0 ? `input[${ownIndex}]` : 'previous_response_id';
    if (item.type === 'message') {
      messages.push(messageItemToChat(item, param));
      return;
    }
    if (item.type === 'function_call_output') {
      messages.push(functionOutputToChat(item, param));
      return;
    }
    const call: ToolCall = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
    const last = messages.at(-1);
    // Chat carries one assistant turn's calls on that turn's message, so consecutive calls
    // (and the text before them) travel together.
    if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
    else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
  });
  return messages;
}

export function responsesRequestToChatRequest(
  request: ResponsesRequest,
  conversation: ResolvedConversation,
  options: { readonly stream: boolean },
): ChatCompletionRequest {
  if (conversation.items.length === 0) {
    throw invalidRequest('input is required: send a string or a non-empty array of input items.', 'input', 'missing_input');
  }
  const chat: ChatCompletionRequest = { model: request.model, messages: conversationToChatMessages(conversation, request.instructions) };
  if (request.temperature !== undefined && request.temperature !== null) chat.temperature = request.temperature;
  if (request.top_p !== undefined && request.top_p !== null) chat.top_p = request.top_p;
  if (request.max_output_tokens !== undefined && request.max_output_tokens !== null) chat.max_completion_tokens = request.max_output_tokens;
  if (request.user !== undefined) chat.user = request.user;
  // Chat refuses tool_choice and parallel_tool_calls without tools, so they travel only with tools.
  if (request.tools !== undefined && request.tools.length > 0) {
    chat.tools = request.tools.map(toChatTool);
    if (request.tool_choice !== undefined) chat.tool_choice = toChatToolChoice(request.tool_choice);
    if (request.parallel_tool_calls !== undefined && request.parallel_tool_calls !== null) chat.parallel_tool_calls = request.parallel_tool_calls;
  }
  const format = request.text?.format;
  if (format !== undefined && format.type !== 'text') chat.response_format = toChatResponseFormat(format);
  const effort = request.reasoning?.effort;
  if (typeof effort === 'string') chat.reasoning_effort = effort;
  if (options.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}
