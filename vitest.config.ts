import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Sandbox tests boot a real systemd each; two cores cannot run many at once.
    maxWorkers: 2,
  },
});
