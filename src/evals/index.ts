// The evaluation domain's public surface: offline scoring, and runs through the gateway (resumable, distributed).
export { resolveDataDirectory, DatasetError, knownChecksums } from './benchmarks/dataset-files.js';
export { downloadMissingFiles, officialSources } from './benchmarks/dataset-downloader.js';
export { benchmarkNameSchema, formatScoreReport, parseBenchmarkName, scorePredictions, type BenchmarkName, type ScoreOptions, type ScoreReport } from './score/benchmark-scorer.js';
export { parsePredictions, PredictionsError, readPredictions, type Prediction } from './score/prediction-file-reader.js';
export { PythonSandbox, namespacesAvailable, type SandboxOptions, type SandboxOutcome } from './sandbox/python-sandbox.js';
export { buildItemPrompt, promptSettingSchema, type PromptSetting } from './prompts/item-prompt-builder.js';
export { toChatMessages, type ChatMessage } from './benchmarks/prompt-messages.js';
export { EvaluationService, newWorkerId, type EvaluationServiceOptions, type WorkOptions } from './runs/evaluation-service.js';
export { routerGateway, type EvaluationGateway, type EvaluationMetering, type GatewayAnswer } from './runs/evaluation-gateway.js';
export type { EvaluationCallContext, EvaluationCallUsage, EvaluationHooks, ItemEvent } from './runs/evaluation-item-processor.js';
export type { CostEstimate } from './runs/evaluation-cost-estimate.js';
export { formatMoney } from './runs/evaluation-pricing.js';
export { exportModelIndex } from './runs/model-index-export.js';
export { runRequestSchema, type RunRequest, type RunRequestInput } from './runs/evaluation-run-schema.js';
export type { RunView } from './runs/evaluation-run-view.js';
export { listItemPage, listRunPage, type ItemView, type Page } from './runs/evaluation-run-pages.js';
export { EvaluationBackgroundRunner, type BackgroundRunnerOptions } from './runs/evaluation-background-runner.js';
export { buildLeaderboard, type LeaderboardCell, type LeaderboardPage, type LeaderboardRow } from './leaderboard/leaderboard-builder.js';
