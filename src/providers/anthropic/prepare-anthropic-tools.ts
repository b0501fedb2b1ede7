// OpenAI tools, tool_choice and response_format → Anthropic tools and tool_choice. Anthropic
// has no JSON mode; its documented way to get JSON that fits a schema is one forced tool,
// whose input the response translation turns back into the message text.
import type { ChatCompletionRequest } from '../../api/index.js';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-request-types.js';

export interface PreparedAnthropicTools {
  readonly tools: AnthropicTool[] | undefined;
  readonly toolChoice: AnthropicToolChoice | undefined;
  /** Set when response_format is served by a forced tool: its input is the answer's text. */
  readonly jsonToolName: string | undefined;
}

const anyObjectSchema = { type: 'object', additionalProperties: true };

function inputSchemaOf(parameters: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> {
  // input_schema must describe an object; a tool without parameters takes an empty one.
  if (parameters === undefined || Object.keys(parameters).length === 0) return { type: 'object', properties: {} };
  return parameters['type'] === undefined ? { type: 'object', ...parameters } : parameters;
}

export function prepareAnthropicTools(request: ChatCompletionRequest, warnings: string[]): PreparedAnthropicTools {
  const userTools = request.tools ?? [];
  const parallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const format = request.response_format;

  if (format !== undefined && format.type !== 'text') {
    if (userTools.length > 0 && request.tool_choice !== 'none') {
      warnings.push('response_format was dropped: Anthropic serves JSON output through a forced tool, which cannot be combined with the request\'s own tools.');
    } else {
      const name = format.type === 'json_schema' ? format.json_schema.name : 'json_response';
      const description = format.type === 'json_schema' ? format.json_schema.description : undefined;
      const schema = format.type === 'json_schema' && format.json_schema.schema !== undefined ? inputSchemaOf(format.json_schema.schema) : anyObjectSchema;
      const tool: AnthropicTool = {
        name,
        description: description ?? 'Respond with a JSON value that matches this schema.',
        input_schema: schema,
      };
      return { tools: [tool], toolChoice: { type: 'tool', name }, jsonToolName: name };
    }
  }

  if (userTools.length === 0) {
    // Without tools Anthropic rejects any tool_choice, and "none" is what it means anyway.
    return { tools: undefined, toolChoice: undefined, jsonToolName: undefined };
  }
  const tools = userTools.map((tool): AnthropicTool => {
    const base = { name: tool.function.name, input_schema: inputSchemaOf(tool.function.parameters) };
    return tool.function.description === undefined ? base : { ...base, description: tool.function.description };
  });
  const choice = request.tool_choice;
  let toolChoice: AnthropicToolChoice | undefined;
  if (choice === undefined) toolChoice = request.parallel_tool_calls === false ? { type: 'auto', ...parallel } : undefined;
  else if (choice === 'none') toolChoice = { type: 'none' };
  else if (choice === 'auto') toolChoice = { type: 'auto', ...parallel };
  else if (choice === 'required') toolChoice = { type: 'any', ...parallel };
  else toolChoice = { type: 'tool', name: choice.function.name, ...parallel };
  return { tools, toolChoice, jsonToolName: undefined };
}
