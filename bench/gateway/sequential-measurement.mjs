// Idle latency and time to first byte: single requests one after another, one keep-alive
// connection per target, the targets taking turns request by request so that the machine's
// noise falls on all of them alike.
import { Client } from 'undici';
import { answerProblem, chatRequestBody } from './chat-fixtures.mjs';
import { percentile } from './sample-statistics.mjs';

const requestTimeoutMilliseconds = 10_000;

function newClient(target) {
  return new Client(target.origin, { pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: requestTimeoutMilliseconds, bodyTimeout: requestTimeoutMilliseconds });
}

async function timedRequest(client, target, body) {
  const start = process.hrtime.bigint();
  const answer = await client.request({ method: 'POST', path: '/v1/chat/completions', headers: target.headers, body });
  let firstByte;
  for await (const chunk of answer.body) {
    if (firstByte === undefined && chunk.length > 0) firstByte = process.hrtime.bigint();
  }
  const end = process.hrtime.bigint();
  if (answer.statusCode !== 200) throw new Error(`answered ${answer.statusCode}`);
  return { totalMilliseconds: Number(end - start) / 1e6, firstByteMilliseconds: Number((firstByte ?? end) - start) / 1e6 };
}

/** Sends one request in the given mode and checks that the whole answer arrived intact; returns a problem or undefined. */
export async function answerCheck(target, mode) {
  const client = newClient(target);
  try {
    const answer = await client.request({ method: 'POST', path: '/v1/chat/completions', headers: target.headers, body: chatRequestBody(target.model, mode === 'sse') });
    const text = await answer.body.text();
    if (answer.statusCode !== 200) return `answered ${answer.statusCode}: ${text.slice(0, 300)}`;
    return answerProblem(text, mode === 'sse');
  } catch (error) {
    return String(error);
  } finally {
    await client.close();
  }
}

export async function measureSequential(targets, mode, settings) {
  let stoppedEarly = false;
  const states = targets.map((target) => ({ target, client: newClient(target), body: chatRequestBody(target.model, mode === 'sse'), totals: [], firstBytes: [], failure: undefined }));
  try {
    for (let index = 0; index < settings.warmupRequests + settings.sequentialRequests; index += 1) {
      if (Date.now() > settings.deadline) {
        stoppedEarly = true;
        break;
      }
      for (let turn = 0; turn < states.length; turn += 1) {
        const state = states[(index + turn) % states.length];
        if (state.failure !== undefined) continue;
        try {
          const timing = await timedRequest(state.client, state.target, state.body);
          if (index < settings.warmupRequests) continue;
          state.totals.push(timing.totalMilliseconds);
          state.firstBytes.push(timing.firstByteMilliseconds);
        } catch (error) {
          state.failure = String(error);
        }
      }
    }
  } finally {
    await Promise.all(states.map((state) => state.client.close()));
  }
  return new Map(
    states.map((state) => {
      state.totals.sort((left, right) => left - right);
      state.firstBytes.sort((left, right) => left - right);
      return [
        state.target.name,
        {
          idleP50Milliseconds: percentile(state.totals, 0.5),
          idleP90Milliseconds: percentile(state.totals, 0.9),
          firstByteP50Milliseconds: mode === 'sse' ? percentile(state.firstBytes, 0.5) : null,
          requests: state.totals.length,
          failure: state.failure ?? (stoppedEarly ? `stopped at its time limit after ${state.totals.length} requests` : null),
        },
      ];
    }),
  );
}
