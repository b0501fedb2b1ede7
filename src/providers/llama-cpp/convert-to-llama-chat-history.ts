// OpenAI chat messages → node-llama-cpp's chat history. The model's own chat template (read
// from the GGUF metadata by node-llama-cpp's chat wrappers) then turns the history into the
// prompt, so every model is prompted the way it was trained.
import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatMessage } from '../../api/index.js';
import { invalidRequest } from '../../core/index.js';

type Content = ChatMessage['content'];

function textOf(content: Content, messageIndex: number, modelName: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'refusal') texts.push(part.refusal);
    else {
      throw invalidRequest(`messages[${messageIndex}] has a ${part.type} part, but model ${JSON.stringify(modelName)} accepts text only.`, `messages[${messageIndex}].content`, 'unsupported_content');
    }
  }
  return texts.join('\n');
}

/**
 * The history ends with an empty model turn: the engine generates what goes in it.
 * Tool messages become user turns (the engine serves no tools), with a warning.
 */
export function convertToLlamaChatHistory(messages: readonly ChatMessage[], modelName: string, warnings: string[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  let warnedAboutTools = false;
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        history.push({ type: 'system', text: textOf(message.content, index, modelName) });
        return;
      case 'user':
        history.push({ type: 'user', text: textOf(message.content, index, modelName) });
        return;
      case 'assistant': {
        const text = textOf(message.content, index, modelName);
        const calls = (message.tool_calls ?? []).map((call) => `${call.function.name}(${call.function.arguments})`);
        if (calls.length > 0 && !warnedAboutTools) {
          warnings.push('tool calls in the history were passed to the model as text: the embedded engine serves no tools.');
          warnedAboutTools = true;
        }
        history.push({ type: 'model', response: [[text, ...calls].filter((piece) => piece !== '').join('\n')] });
        return;
      }
      case 'tool':
        if (!warnedAboutTools) {
          warnings.push('tool messages were passed to the model as user messages: the embedded engine serves no tools.');
          warnedAboutTools = true;
        }
        history.push({ type: 'user', text: `Result of tool call ${message.tool_call_id}:\n${textOf(message.content, index, modelName)}` });
        return;
    }
  });
  history.push({ type: 'model', response: [] });
  return history;
}
