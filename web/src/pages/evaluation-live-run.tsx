// Follows one run while it works: the server's event stream of progress when it answers one,
// else polling every second with backoff; both stop once the run is finished. A failed poll
// is shown and retried; the last good view of the run stays on screen meanwhile.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorFromBody, type ApiClient } from '../api/api-client';
import type { EvaluationRun } from '../api/evaluation-types';
import { readServerSentEvents } from '../api/sse-reader';
import { useApp } from '../app/app-context';
import { firstPollMilliseconds, isFinishedStatus, nextPollDelay, progressChanged } from './evaluation-progress-logic';

export interface LiveRun {
  readonly run: EvaluationRun | undefined;
  readonly error: unknown;
  /** 'stream' while events arrive, 'poll' after falling back, 'idle' once finished. */
  readonly mode: 'stream' | 'poll' | 'idle';
  /** Replaces the shown run (after cancelling, say), and follows it again if it still works. */
  replace(run: EvaluationRun): void;
}

function isRun(value: unknown): value is EvaluationRun {
  return typeof value === 'object' && value !== null && 'object' in value && value.object === 'evaluation.run';
}

function runNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'evaluation_run_not_found';
}

const wait = (milliseconds: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Reads the event stream until it ends; the last run seen, or undefined if there was no stream. */
async function followStream(client: ApiClient, id: string, signal: AbortSignal, show: (run: EvaluationRun) => void): Promise<EvaluationRun | undefined> {
  const response = await client.send('GET', `/admin/v1/evaluations/${encodeURIComponent(id)}/events`, { signal, accept: 'text/event-stream' });
  if (response.body === null) return undefined;
  let last: EvaluationRun | undefined;
  for await (const event of readServerSentEvents(response.body)) {
    const parsed: unknown = JSON.parse(event.data);
    if (event.event === 'error') throw errorFromBody(500, parsed, response.headers.get('x-request-id'));
    if (isRun(parsed)) {
      last = parsed;
      show(parsed);
    }
  }
  return last;
}

export function useLiveRun(id: string): LiveRun {
  const { client } = useApp();
  const [run, setRun] = useState<EvaluationRun | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState<LiveRun['mode']>('stream');
  const [generation, setGeneration] = useState(0);
  const latest = useRef<EvaluationRun | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const show = (next: EvaluationRun) => {
      latest.current = next;
      setRun(next);
      setError(null);
    };
    const follow = async () => {
      setMode('stream');
      try {
        const last = await followStream(client, id, signal, show);
        if (last !== undefined && isFinishedStatus(last.status)) {
          setMode('idle');
          return;
        }
      } catch (failure) {
        if (signal.aborted) return;
        if (runNotFound(failure) || (failure instanceof ApiError && (failure.status === 401 || failure.status === 403))) {
          setError(failure);
          setMode('idle');
          return;
        }
        // No stream here (an older server, a proxy that buffers): poll instead.
      }
      if (signal.aborted) return;
      setMode('poll');
      let delay = firstPollMilliseconds;
      while (!signal.aborted) {
        try {
          const next = await client.get<EvaluationRun>(`/admin/v1/evaluations/${encodeURIComponent(id)}`, {}, signal);
          const changed = progressChanged(latest.current, next);
          show(next);
          if (isFinishedStatus(next.status)) {
            setMode('idle');
            return;
          }
          delay = nextPollDelay(delay, changed);
        } catch (failure) {
          if (signal.aborted) return;
          setError(failure);
          if (runNotFound(failure)) {
            setMode('idle');
            return;
          }
          delay = nextPollDelay(delay, false);
        }
        await wait(delay, signal);
      }
    };
    void follow();
    return () => controller.abort();
  }, [client, id, generation]);

  const replace = useCallback((next: EvaluationRun) => {
    latest.current = next;
    setRun(next);
    if (!isFinishedStatus(next.status)) setGeneration((value) => value + 1);
    else setMode('idle');
  }, []);

  return { run, error, mode, replace };
}
