import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Two cores: two files at a time, each with its own database and Redis prefix.
    maxWorkers: 2,
    testTimeout: 60000,
    hookTimeout: 60000,
    teardownTimeout: 30000,
  },
});
