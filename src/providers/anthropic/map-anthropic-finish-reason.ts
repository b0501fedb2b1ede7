// Anthropic stop_reason → OpenAI finish_reason.
import type { FinishReason } from '../../api/index.js';

export function mapAnthropicFinishReason(stopReason: string | null | undefined, answeredWithJsonTool = false): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      // A forced JSON-answer tool is how the text was produced, not a call the client must run.
      return answeredWithJsonTool ? 'stop' : 'tool_calls';
    case 'refusal':
      return 'content_filter';
    // end_turn, stop_sequence, pause_turn and reasons added later all mean the turn ended.
    default:
      return 'stop';
  }
}
