// Reads a predictions file (JSON lines of {"id", "output"}) for offline scoring; every problem
// becomes a PredictionsError that names the line, never an exception from deep inside.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ModelmartError } from '../../core/index.js';

export class PredictionsError extends ModelmartError {
  constructor(message: string) {
    super(400, message, { code: 'invalid_predictions' });
    this.name = 'PredictionsError';
  }
}

const predictionLineSchema = z.object({
  id: z.union([z.string(), z.number().int().nonnegative()]),
  // A missing or null output is an upstream that returned nothing: scored, as "[invalid]".
  output: z.string().nullable().optional(),
});

export interface Prediction {
  readonly id: string;
  readonly output: string;
  readonly line: number;
}

export function parsePredictions(text: string, label: string): Prediction[] {
  const predictions: Prediction[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new PredictionsError(`${label} line ${index + 1} is not valid JSON`);
    }
    const parsed = predictionLineSchema.safeParse(record);
    if (!parsed.success) throw new PredictionsError(`${label} line ${index + 1} needs {"id": string or number, "output": string}`);
    predictions.push({ id: String(parsed.data.id), output: parsed.data.output ?? '', line: index + 1 });
  }
  if (predictions.length === 0) throw new PredictionsError(`${label} holds no predictions`);
  return predictions;
}

export function readPredictions(path: string): Prediction[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PredictionsError(`cannot read predictions file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePredictions(text, path);
}

/** Checks ids against the benchmark and, for single-sample benchmarks, that none repeats. */
export function checkPredictionIds(predictions: readonly Prediction[], knownIds: ReadonlySet<string>, benchmark: string, singleSample: boolean): void {
  const unknown = predictions.filter((prediction) => !knownIds.has(prediction.id));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map((prediction) => `"${prediction.id}" (line ${prediction.line})`).join(', ');
    throw new PredictionsError(`${unknown.length} prediction(s) have ids unknown to ${benchmark}: ${shown}`);
  }
  if (!singleSample) return;
  const seen = new Map<string, number>();
  for (const prediction of predictions) {
    const first = seen.get(prediction.id);
    if (first !== undefined) {
      throw new PredictionsError(`${benchmark} takes one prediction per id, but "${prediction.id}" appears on lines ${first} and ${prediction.line}`);
    }
    seen.set(prediction.id, prediction.line);
  }
}
