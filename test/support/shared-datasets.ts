// Where the benchmark data lives for tests: ../shared/datasets beside the repository (present in CI).
// Tests that need it skip with a visible notice when it is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const sharedDatasetsPath = fileURLToPath(new URL('../../../shared/datasets', import.meta.url));
export const hasSharedDatasets = existsSync(sharedDatasetsPath);

export function noticeIfNoDatasets(suite: string): void {
  if (!hasSharedDatasets) console.warn(`[${suite}] SKIPPED the tests on real data: ${sharedDatasetsPath} is absent`);
}
