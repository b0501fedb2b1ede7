// Evaluation runs, their items (jobs) and cached model responses (issue: evaluation), as Kysely sees them. Timestamps are ISO-8601 UTC text; money is integer micro-units.

/** One evaluation run: a benchmark measured on one model with fixed parameters. */
export interface EvaluationRunsTable {
  id: string;
  benchmark: string;
  /** Prompt setting: default | instruct | minerva. */
  setting: string;
  /** The gateway model name the run calls (a route, `<provider>/<model>` or a GPT). */
  model: string;
  /** JSON: limit, subjects, samples, seed, temperature, max tokens, data directory. */
  parameters: string;
  /** queued | running | completed | failed | cancelled */
  status: string;
  total_items: number;
  done_items: number;
  failed_items: number;
  /** JSON score report once completed (metrics as fractions), else null. */
  metrics: string | null;
  /** Spend of the upstream calls, micro-units of cost_currency (cache hits cost nothing). */
  cost: number;
  cost_currency: string | null;
  /** The catalogue card the model stands for, when there is one. */
  catalog_model_id: string | null;
  /** Set by the one process that computes the metrics, so they are computed once. */
  finalized_by: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  created_by: string | null;
}

/** One item (or one sample of an item) of a run: the unit of work that workers claim. */
export interface EvaluationItemsTable {
  run_id: string;
  item_id: string;
  sample_index: number;
  /** 0-based order within the run; claims take the lowest positions first. */
  position: number;
  /** pending | claimed | done | failed */
  status: string;
  claimed_by: string | null;
  claimed_at: string | null;
  attempts: number;
  /** JSON: the chat request sent upstream and the reference answer. */
  request: string;
  response: string | null;
  /** JSON: this item's own score (running score), null until scored. */
  score: string | null;
  error: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost: number | null;
  /** Whether the response came from the cache (no upstream call). */
  cached: number;
  finished_at: string | null;
}

/** A model's answer to one exact request, so repeating a run makes no upstream call. */
export interface EvaluationCacheTable {
  /** sha256 of model, messages and sampling parameters. */
  key: string;
  model: string;
  response: string;
  prompt_tokens: number;
  completion_tokens: number;
  created_at: string;
}

export interface EvaluationTables {
  evaluation_runs: EvaluationRunsTable;
  evaluation_items: EvaluationItemsTable;
  evaluation_cache: EvaluationCacheTable;
}
