// Tunables of retries, time limits, circuit breakers and latency tracking, validated once.
import { z } from 'zod';

export const routerSettingsSchema = z.strictObject({
  /** Retries of one target before moving to the next (so 2 means up to 3 calls per target). */
  maxRetriesPerTarget: z.number().int().min(0).max(10).default(2),
  /** Exponential backoff with full jitter: a retry waits random() × min(max, initial × 2^retry). */
  initialBackoffMilliseconds: z.number().min(0).default(250),
  maxBackoffMilliseconds: z.number().min(0).default(8_000),
  /** A `retry-after` longer than this moves on to the next target instead of waiting. */
  maxRetryAfterMilliseconds: z.number().min(0).default(30_000),
  /** One upstream call, or for streams the wait for its first part; a provider's timeoutMs overrides it. */
  attemptTimeoutMilliseconds: z.number().positive().default(300_000),
  /** The whole request, every retry and fallback and the streamed body included. */
  deadlineMilliseconds: z.number().positive().default(600_000),
  failureThreshold: z.number().int().positive().default(5),
  coolDownMilliseconds: z.number().min(0).default(30_000),
  /** How many recent latencies per target feed least-latency routing and the health p50. */
  latencyWindowSize: z.number().int().positive().max(1_000).default(20),
});
export type RouterSettings = z.infer<typeof routerSettingsSchema>;
export type RouterSettingsInput = z.input<typeof routerSettingsSchema>;
