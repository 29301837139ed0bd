// The suite Stryker runs for each mutant: the engine's own tests, which are
// the ones that exercise predicates/ and machines/ (the sandbox and CLI suites
// boot systemd or spawn processes, far too slow to repeat per mutant), with
// properties at a fifth of their runs. The model-based test is left out: it
// checks that the real actor follows the chart's own transition function, so
// it kills almost no mutant another test does not, at ~10 s per mutant.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // ENGINE_MUTATE=predicates runs only the predicate tests (for a predicates-only run on a busy machine).
    include: process.env.ENGINE_MUTATE === 'predicates' ? ['test/engine/predicates/**/*.test.ts'] : ['test/engine/**/*.test.ts'],
    exclude: ['test/engine/machines/model-based.test.ts'],
    env: { ENGINE_QUICK: '1' },
    // A mutant that makes a run never settle hangs its test until this bound:
    // 5 s is 20x the slowest engine test on a quiet machine (229 ms), where
    // 60 s made each such mutant cost a minute of an idle worker.
    testTimeout: 5_000,
    maxWorkers: 1,
    // One module graph for every test file: the engine tests share no state
    // through modules (each builds its own actor, host and clock), and
    // re-importing xstate and the chart per file was most of each mutant's
    // time (the engine suite: 5 s instead of 24 s).
    isolate: false,
  },
});
