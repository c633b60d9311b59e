import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real servers are started once for the whole run and their addresses `provide`d.
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/support/quiet-runtime.ts'],
    // forks, not threads: Temporal's native runtime must not share a process between workers.
    pool: 'forks',
    // Two cores: two test files at a time, each with its own worker and databases.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
