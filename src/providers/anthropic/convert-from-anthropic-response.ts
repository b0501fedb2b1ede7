// An Anthropic message → an OpenAI chat.completion: text blocks joined, tool_use blocks as
// tool_calls with JSON-string arguments, and a forced JSON-answer tool turned back into text.
import type { ChatCompletion, ToolCall } from '../../api/index.js';
import type { AnthropicMessage } from './anthropic-api-types.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

export function convertFromAnthropicResponse(
  message: AnthropicMessage,
  fallbackModel: string,
  jsonToolName: string | undefined,
  createdSeconds: number,
): ChatCompletion {
  let text = '';
  const toolCalls: ToolCall[] = [];
  let answeredWithJsonTool = false;
  for (const block of message.content) {
    if (block.type === 'text' && block.text !== undefined) {
      // With a forced JSON-answer tool the tool's input is the whole answer (the stream does the same).
      if (jsonToolName === undefined) text += block.text;
    } else if (block.type === 'tool_use' && block.name !== undefined) {
      const input = JSON.stringify(block.input ?? {});
      if (jsonToolName !== undefined && block.name === jsonToolName) {
        text += input;
        answeredWithJsonTool = true;
      } else {
        toolCalls.push({ id: block.id ?? `toolu_${toolCalls.length}`, type: 'function', function: { name: block.name, arguments: input } });
      }
    }
  }
  const completion: ChatCompletion = {
    id: message.id,
    object: 'chat.completion',
    created: createdSeconds,
    model: message.model ?? fallbackModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: mapAnthropicFinishReason(message.stop_reason, answeredWithJsonTool),
      },
    ],
  };
  if (message.usage !== undefined) completion.usage = convertAnthropicUsage(message.usage);
  return completion;
}
