// Percentiles and medians over plain arrays of numbers.

/** The q-quantile (0..1) of an ascending array, by the nearest-rank method; null when empty. */
export function percentile(sortedValues, quantile) {
  if (sortedValues.length === 0) return null;
  const rank = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(quantile * sortedValues.length) - 1));
  return sortedValues[rank];
}

/** The median of the values that are numbers (the mean of the middle two for an even count); null when none. */
export function median(values) {
  const numbers = values.filter((value) => typeof value === 'number' && Number.isFinite(value)).sort((left, right) => left - right);
  if (numbers.length === 0) return null;
  const middle = Math.floor(numbers.length / 2);
  return numbers.length % 2 === 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
}
