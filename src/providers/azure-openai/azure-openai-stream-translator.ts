// Azure OpenAI's chat stream → StreamParts. The chunks are OpenAI's own, with two Azure habits:
// a first chunk with no choices that carries prompt_filter_results, and (with include_usage)
// a last chunk with no choices that carries usage, which becomes the usage part.
import { z } from 'zod';
import { chatCompletionChunkSchema, usageSchema, type Usage } from '../../api/index.js';
import { describeUpstreamErrorBody } from '../http/index.js';
import type { StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';

// Read first: the prompt-filter chunk is not a valid chunk (its object, id and model are empty).
const choicelessChunkSchema = z.looseObject({ choices: z.array(z.unknown()).max(0), usage: usageSchema.nullish() });

export async function* translateAzureOpenAiStream(events: AsyncIterable<{ readonly data: string }>, provider: string): AsyncGenerator<StreamPart> {
  let usage: Usage | undefined;
  let yielded = false;
  const malformed = (message: string): UpstreamError =>
    new UpstreamError({ provider, status: 502, message, code: 'upstream_invalid_response', afterFirstByte: yielded });

  for await (const event of events) {
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      throw malformed(`stream event is not JSON: ${event.data.slice(0, 200)}`);
    }
    if (typeof json === 'object' && json !== null && 'error' in json) {
      const description = describeUpstreamErrorBody(json);
      throw new UpstreamError({ provider, status: 502, message: description?.message ?? 'the stream reported an error', code: description?.code ?? null, afterFirstByte: yielded });
    }
    const choiceless = choicelessChunkSchema.safeParse(json);
    if (choiceless.success) {
      usage = choiceless.data.usage ?? usage;
      continue;
    }
    const parsed = chatCompletionChunkSchema.safeParse(json);
    if (!parsed.success) throw malformed('stream event is not a chat.completion.chunk');
    const { usage: chunkUsage, ...chunk } = parsed.data;
    // Some versions put usage on the last chunk that still has choices.
    if (chunkUsage !== null && chunkUsage !== undefined) usage = chunkUsage;
    yielded = true;
    yield { type: 'chunk', chunk };
  }
  if (usage !== undefined) yield { type: 'usage', usage };
}
