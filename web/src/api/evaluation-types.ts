// The shapes of /admin/v1/evaluations as the web app reads them (see docs/api.md#evaluation).

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export const benchmarkNames = ['gsm8k', 'gsm8k_cot', 'mmlu', 'humaneval', 'math', 'math500'] as const;
export type BenchmarkName = (typeof benchmarkNames)[number];

export const promptSettings = ['default', 'instruct', 'minerva'] as const;
export type PromptSetting = (typeof promptSettings)[number];

export interface RunProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  readonly claimed: number;
}

/** The report `eval score --json` prints; metrics are fractions in [0, 1]. */
export interface ScoreReport {
  readonly benchmark: string;
  readonly n: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly invalid?: number;
  readonly samples?: number;
  readonly subjects?: Readonly<Record<string, number>>;
  readonly categories?: Readonly<Record<string, number>>;
}

export interface EvaluationRun {
  readonly object: 'evaluation.run';
  readonly id: string;
  readonly benchmark: string;
  readonly setting: string;
  readonly model: string;
  readonly catalog_model_id: string | null;
  readonly parameters: {
    readonly api: string;
    readonly limit: number | null;
    readonly subjects: readonly string[] | null;
    readonly samples: number;
    readonly seed: number;
    readonly temperature: number;
    readonly max_tokens: number;
  };
  readonly status: string;
  readonly progress: RunProgress;
  readonly running_score: { readonly correct: number; readonly scored: number; readonly value: number | null };
  /** Currency units (not micro-units); currency null when the catalogue knows no price. */
  readonly spend: { readonly amount: number; readonly currency: string | null };
  readonly metrics: ScoreReport | null;
  readonly error: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly created_by: string | null;
}

export interface StartedRun extends EvaluationRun {
  readonly estimate: { readonly items: number; readonly prompt_tokens: number; readonly cost: number; readonly maximum_cost: number; readonly currency: string | null };
  readonly concurrency: number;
}

export interface EvaluationItem {
  readonly object: 'evaluation.item';
  readonly position: number;
  readonly item_id: string;
  readonly sample_index: number;
  readonly status: string;
  readonly question: string;
  readonly expected: string | null;
  readonly answer: string | null;
  readonly response: string | null;
  readonly correct: boolean | null;
  readonly cached: boolean;
  readonly error: string | null;
}

/** What POST /admin/v1/evaluations takes. */
export interface StartRunRequest {
  readonly benchmark: BenchmarkName;
  readonly model: string;
  readonly setting?: PromptSetting;
  readonly api?: 'chat' | 'completion';
  readonly limit?: number;
  readonly subjects?: readonly string[];
  readonly samples?: number;
  readonly seed?: number;
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly data_directory?: string;
  readonly concurrency?: number;
}
