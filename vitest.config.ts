// Test runner configuration: unit tests beside the code, end-to-end tests in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: a few forks keep the machine responsive and PostgreSQL connections bounded.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
