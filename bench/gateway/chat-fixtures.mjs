// The chat request the benchmark sends and the answers the instant upstream gives, in the
// OpenAI shape: a small realistic conversation, a JSON completion, and a stream of 20 chunks
// followed by a usage chunk and [DONE].

export const upstreamModelName = 'bench-model';
export const streamContentChunkCount = 20;

const answerWords = [
  'Model', ' stores', ' let', ' a', ' company', ' reach', ' every', ' language', ' model', ' it',
  ' may', ' use', ' through', ' one', ' API', ',', ' with', ' shared', ' keys', '.',
];

export function chatRequestBody(model, stream) {
  const body = {
    model,
    messages: [
      { role: 'system', content: 'You are a concise assistant for an internal engineering team.' },
      { role: 'user', content: 'In one sentence, what is a self-hosted model store good for?' },
    ],
    temperature: 0.2,
    max_tokens: 64,
  };
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(body);
}

const usage = { prompt_tokens: 31, completion_tokens: answerWords.length, total_tokens: 31 + answerWords.length };
const completionId = 'chatcmpl-bench0000000000000000000000';
const created = 1767225600;

export function completionJson(model) {
  return JSON.stringify({
    id: completionId,
    object: 'chat.completion',
    created,
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: answerWords.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' },
    ],
    usage,
    system_fingerprint: 'fp_bench',
  });
}

function chunkEvent(model, choices, extra = {}) {
  const chunk = { id: completionId, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_bench', choices, ...extra };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The SSE events of one streamed answer, one string per upstream write. */
export function completionStreamEvents(model, includeUsage) {
  const events = answerWords.map((word, index) => {
    const delta = index === 0 ? { role: 'assistant', content: word } : { content: word };
    const last = index === answerWords.length - 1;
    return chunkEvent(model, [{ index: 0, delta, logprobs: null, finish_reason: last ? 'stop' : null }]);
  });
  if (includeUsage) events.push(chunkEvent(model, [], { usage }));
  events.push('data: [DONE]\n\n');
  return events;
}

/** Checks that an answer body is a whole completion (JSON) or a whole stream (SSE); returns a problem or undefined. */
export function answerProblem(text, stream) {
  if (!stream) {
    try {
      const completion = JSON.parse(text);
      return completion.choices?.[0]?.message?.content === answerWords.join('') ? undefined : `unexpected completion: ${text.slice(0, 200)}`;
    } catch {
      return `not JSON: ${text.slice(0, 200)}`;
    }
  }
  const data = text.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim());
  if (data.at(-1) !== '[DONE]') return `stream does not end with [DONE]: ${text.slice(-200)}`;
  const chunks = data.slice(0, -1).map((line) => JSON.parse(line));
  const content = chunks.map((chunk) => chunk.choices?.[0]?.delta?.content ?? '').join('');
  if (content !== answerWords.join('')) return `stream content differs: ${JSON.stringify(content)}`;
  if (!chunks.some((chunk) => chunk.usage?.total_tokens === usage.total_tokens)) return 'stream has no usage chunk';
  return undefined;
}
