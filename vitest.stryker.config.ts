// The suite Stryker runs for each mutant: only the engine's own tests, which
// are the ones that exercise predicates/ and machines/ (the sandbox and CLI
// suites boot systemd or spawn processes, far too slow to repeat per mutant).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/engine/**/*.test.ts'],
    testTimeout: 60_000,
    maxWorkers: 1,
  },
});
