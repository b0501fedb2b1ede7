// Turns a built prompt into what each kind of model receives: the plain text for completion
// models, and for chat models the few-shot examples as alternating user/assistant turns.
import type { BuiltPrompt } from './gsm8k-benchmark.js';

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export function toChatMessages(prompt: BuiltPrompt): ChatMessage[] {
  return [
    ...prompt.shots.flatMap((shot): ChatMessage[] => [
      { role: 'user', content: shot.question },
      { role: 'assistant', content: shot.answer },
    ]),
    { role: 'user', content: prompt.question },
  ];
}
