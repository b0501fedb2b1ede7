import { describe, expect, it } from 'vitest';
import type { EvaluationRun } from '../api/evaluation-types';
import { durationParts, elapsedMilliseconds, estimatedRemainingMilliseconds, firstPollMilliseconds, isFinishedStatus, longestPollMilliseconds, nextPollDelay, progressChanged, progressPercent, statusPresentation } from './evaluation-progress-logic';

const progress = (total: number, done: number, failed = 0) => ({ total, done, failed, pending: total - done - failed, claimed: 0 });

function run(overrides: Partial<EvaluationRun> = {}): EvaluationRun {
  return {
    object: 'evaluation.run',
    id: 'evalrun_1',
    benchmark: 'gsm8k',
    setting: 'default',
    model: 'grok-1',
    catalog_model_id: 'grok-1',
    parameters: { api: 'chat', limit: 10, subjects: null, samples: 1, seed: 1234, temperature: 0, max_tokens: 256 },
    status: 'running',
    progress: progress(10, 0),
    running_score: { correct: 0, scored: 0, value: null },
    spend: { amount: 0, currency: null },
    metrics: null,
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    started_at: '2026-01-01T00:00:10.000Z',
    finished_at: null,
    created_by: null,
    ...overrides,
  };
}

const at = (seconds: number) => Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1000;

describe('evaluation progress', () => {
  it('counts answered and failed items as finished, rounding down so 100 % means all', () => {
    expect(progressPercent(progress(10, 3))).toBe(30);
    expect(progressPercent(progress(10, 3, 2))).toBe(50);
    expect(progressPercent(progress(3, 2))).toBe(66);
    expect(progressPercent(progress(1000, 999))).toBe(99);
    expect(progressPercent(progress(7, 7))).toBe(100);
    expect(progressPercent(progress(0, 0))).toBe(0);
  });

  it('measures time from the start of work, or creation while queued, to the end or now', () => {
    expect(elapsedMilliseconds(run(), at(25))).toBe(15_000);
    expect(elapsedMilliseconds(run({ started_at: null, status: 'queued' }), at(4))).toBe(4000);
    expect(elapsedMilliseconds(run({ finished_at: '2026-01-01T00:01:10.000Z' }), at(500))).toBe(60_000);
    expect(elapsedMilliseconds(run({ started_at: 'not a date', created_at: 'neither' }), at(4))).toBe(0);
  });

  it('estimates the time left at the rate so far', () => {
    // 4 of 10 in 20 s: 6 left at 5 s each.
    expect(estimatedRemainingMilliseconds(run({ progress: progress(10, 4) }), at(30))).toBe(30_000);
    expect(estimatedRemainingMilliseconds(run({ progress: progress(10, 3, 1) }), at(30))).toBe(30_000);
    expect(estimatedRemainingMilliseconds(run({ progress: progress(10, 0) }), at(30))).toBeNull();
    expect(estimatedRemainingMilliseconds(run({ started_at: null, status: 'queued' }), at(30))).toBeNull();
    expect(estimatedRemainingMilliseconds(run({ status: 'completed', progress: progress(10, 10) }), at(30))).toBe(0);
    expect(estimatedRemainingMilliseconds(run({ progress: progress(10, 4) }), at(10))).toBeNull();
  });

  it('splits durations into hours, minutes and seconds, rounding seconds up', () => {
    expect(durationParts(0)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
    expect(durationParts(1)).toEqual({ hours: 0, minutes: 0, seconds: 1 });
    expect(durationParts(61_500)).toEqual({ hours: 0, minutes: 1, seconds: 2 });
    expect(durationParts(3_723_000)).toEqual({ hours: 1, minutes: 2, seconds: 3 });
    expect(durationParts(-5)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
  });

  it('gives every status a symbol as well as a tone', () => {
    expect(['queued', 'running', 'completed', 'failed', 'cancelled'].map((status) => statusPresentation(status).symbol)).toEqual(['◷', '▶', '✓', '✗', '⊘']);
    expect(statusPresentation('paused')).toMatchObject({ known: false, symbol: '?' });
    expect(['completed', 'failed', 'cancelled'].every(isFinishedStatus)).toBe(true);
    expect(['queued', 'running'].some(isFinishedStatus)).toBe(false);
  });

  it('polls every second while the run moves and backs off to ten seconds when it does not', () => {
    expect(nextPollDelay(4000, true)).toBe(firstPollMilliseconds);
    const delays = [firstPollMilliseconds];
    for (let step = 0; step < 8; step += 1) delays.push(nextPollDelay(delays.at(-1) ?? firstPollMilliseconds, false));
    expect(delays.slice(0, 4)).toEqual([1000, 1500, 2250, 3375]);
    expect(delays.at(-1)).toBe(longestPollMilliseconds);
  });

  it('sees a change in status, finished items, scoring or final metrics', () => {
    const before = run({ progress: progress(10, 2) });
    expect(progressChanged(undefined, before)).toBe(true);
    expect(progressChanged(before, run({ progress: progress(10, 2) }))).toBe(false);
    expect(progressChanged(before, run({ progress: progress(10, 3) }))).toBe(true);
    expect(progressChanged(before, run({ progress: progress(10, 2), status: 'completed' }))).toBe(true);
    expect(progressChanged(before, run({ progress: progress(10, 2), metrics: { benchmark: 'gsm8k', n: 10, metrics: {} } }))).toBe(true);
  });
});
