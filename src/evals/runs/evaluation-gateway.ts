// The seam between evaluation runs and the gateway: a run calls models through the same router
// the server uses (routes, fallbacks, retries, circuit breakers), in process, not over HTTP.
import { z } from 'zod';
import { chatCompletionRequestSchema } from '../../api/index.js';
import type { RoutePlan, Router, UsageListener } from '../../routing/index.js';
import type { ChatRequestBody } from './evaluation-run-schema.js';

export interface GatewayAnswer {
  /** The answer text; empty when the upstream sent none (scored as no answer, never an error). */
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface EvaluationGateway {
  /** Throws the gateway's 404 `model_not_found` for a model it cannot route. */
  check(model: string): void;
  chat(model: string, body: ChatRequestBody, options: { readonly requestId: string; readonly signal?: AbortSignal }): Promise<GatewayAnswer>;
}

/**
 * How evaluation calls meet the gateway's limits and billing: admitted like an API call (rate
 * limits, budget hold; a refusal fails the item), settled from the call's usage event.
 */
export interface EvaluationMetering {
  admit(call: { readonly plan: RoutePlan; readonly requestId: string; readonly promptTokenBound: number; readonly maxOutputTokens: number | undefined }): Promise<{
    readonly onUsage: UsageListener;
    abandon(): void;
  }>;
}

/** The parts of a legacy completion body a run reads; an upstream may omit usage. */
const legacyCompletionSchema = z.object({
  choices: z.array(z.object({ text: z.string().nullish().transform((text) => text ?? '') })),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).optional(),
});

export function routerGateway(router: Router, metering?: EvaluationMetering): EvaluationGateway {
  return {
    check(model) {
      router.resolve(model);
    },
    async chat(model, body, options) {
      const plan = router.resolve(model);
      const { prompt, messages, ...sampling } = body;
      const promptText = prompt ?? JSON.stringify(messages ?? []);
      const call = await metering?.admit({ plan, requestId: options.requestId, promptTokenBound: Buffer.byteLength(promptText, 'utf8') + 8, maxOutputTokens: sampling.max_tokens ?? undefined });
      try {
        return await answer(plan, model, prompt, messages, sampling, { requestId: options.requestId, signal: options.signal, onUsage: call?.onUsage });
      } catch (error) {
        call?.abandon();
        throw error;
      }
    },
  };

  async function answer(
    plan: RoutePlan,
    model: string,
    prompt: ChatRequestBody['prompt'],
    messages: ChatRequestBody['messages'],
    sampling: Omit<ChatRequestBody, 'prompt' | 'messages'>,
    options: { readonly requestId: string; readonly signal?: AbortSignal | undefined; readonly onUsage?: UsageListener | undefined },
  ): Promise<GatewayAnswer> {
    if (prompt !== undefined) {
      const result = await router.executeCompletion(plan, { model, prompt, ...sampling }, { requestId: options.requestId, signal: options.signal, onUsage: options.onUsage });
      const completion = legacyCompletionSchema.safeParse(result.body);
      const usage = completion.success ? completion.data.usage : undefined;
      return { text: completion.success ? (completion.data.choices[0]?.text ?? '') : '', promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
    }
    if (messages === undefined) throw new Error('an evaluation request has neither messages nor a prompt');
    const request = chatCompletionRequestSchema.parse({ model, messages, ...sampling });
    const result = await router.executeChat(plan, request, { requestId: options.requestId, signal: options.signal, onUsage: options.onUsage });
    const content = result.completion.choices[0]?.message.content;
    return {
      text: typeof content === 'string' ? content : '',
      promptTokens: result.usage.prompt_tokens,
      completionTokens: result.usage.completion_tokens,
    };
  }
}
