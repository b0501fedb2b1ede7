// The evaluation domain's public surface: offline scoring now; gateway-driven runs build on it.
export { resolveDataDirectory, DatasetError, knownChecksums } from './benchmarks/dataset-files.js';
export { downloadMissingFiles, officialSources } from './benchmarks/dataset-downloader.js';
export { benchmarkNameSchema, formatScoreReport, parseBenchmarkName, scorePredictions, type BenchmarkName, type ScoreOptions, type ScoreReport } from './score/benchmark-scorer.js';
export { parsePredictions, PredictionsError, readPredictions, type Prediction } from './score/prediction-file-reader.js';
export { PythonSandbox, namespacesAvailable, type SandboxOptions, type SandboxOutcome } from './sandbox/python-sandbox.js';
export { buildItemPrompt, promptSettingSchema, type PromptSetting } from './prompts/item-prompt-builder.js';
export { toChatMessages, type ChatMessage } from './benchmarks/prompt-messages.js';
