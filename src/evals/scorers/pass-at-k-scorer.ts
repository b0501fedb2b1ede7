// The unbiased pass@k estimator of the Codex paper: 1 - C(n-c, k) / C(n, k), computed as a product
// so that large n never overflows.
export function passAtK(sampleCount: number, correctCount: number, k: number): number {
  if (k <= 0 || k > sampleCount) throw new RangeError(`pass@${k} needs 1 <= k <= n (n = ${sampleCount})`);
  if (sampleCount - correctCount < k) return 1;
  let allWrong = 1;
  for (let index = sampleCount - correctCount + 1; index <= sampleCount; index += 1) allWrong *= 1 - k / index;
  return 1 - allWrong;
}

/** Mean pass@k over problems, for each k in the candidates that every problem has enough samples for. */
export function meanPassAtK(results: readonly { readonly samples: number; readonly correct: number }[], candidates: readonly number[] = [1, 10, 100]): Record<string, number> {
  const metrics: Record<string, number> = {};
  if (results.length === 0) return metrics;
  const fewest = Math.min(...results.map((result) => result.samples));
  for (const k of candidates) {
    if (k > fewest) continue;
    metrics[`pass@${k}`] = results.reduce((sum, result) => sum + passAtK(result.samples, result.correct, k), 0) / results.length;
  }
  return metrics;
}
