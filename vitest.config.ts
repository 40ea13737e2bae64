import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{schemas,instrumentation,collector}/{src,test}/**/*.test.ts', 'collector/bench/**/*.test.ts'],
    // The embedded engine is one per process and holds its data directory: each test file runs in
    // its own child process and opens its own directory.
    pool: 'forks',
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
