// The long property run: at least 10,000 controller runs (random request
// sequences with random faults on the simulated host), each checked against
// the same invariants as properties.test.ts beside it. Too slow for the default
// suite; `npm run test:long [-- --runs N --seed S]`. Exits 1 on the first
// violated invariant, printing fast-check's shrunk counterexample. A test, so it
// lives with the tests whose scenarios it runs (not in scripts/, whose files
// build the package); its name does not end in .test.ts, so vitest leaves it out.
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { workstationConfig as config } from '../support/config.ts';
import { checkScenario, scenarioArb } from '../support/scenarios.ts';
import { describeError } from '../../../shared/describe-error.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
const wanted = Number(values.runs);
if (!Number.isInteger(wanted) || wanted < 1) {
  console.error(`--runs must be a positive integer, got "${values.runs}"`);
  process.exit(2);
}
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

const outcomes: Record<string, number> = {};
let runs = 0;
let crashes = 0;
let scenarios = 0;
const started = performance.now();
let batch = 0;
try {
  while (runs + crashes < wanted) {
    await fc.assert(
      fc.asyncProperty(scenarioArb(config, 5), async (scenario) => {
        const result = await checkScenario(config, scenario);
        scenarios += 1;
        crashes += result.crashes;
        for (const o of result.outcomes) outcomes[o] = (outcomes[o] ?? 0) + 1;
        runs += result.outcomes.length;
        return result.violations.length === 0 || Promise.reject(new Error(result.violations.join('\n')));
      }),
      { numRuns: 500, seed: seed + batch },
    );
    batch += 1;
    process.stdout.write(`\r${runs + crashes} runs so far`);
  }
} catch (error) {
  console.error(`\ninvariant violated (seed ${seed}, batch ${batch}):\n${describeError(error)}`);
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${runs + crashes} controller runs in ${scenarios} random sequences, seed ${seed}, ${seconds} s: every invariant held`);
console.log(`outcomes: ${Object.entries(outcomes).map(([o, n]) => `${o} ${n}`).join(', ')}; runs that died at a failpoint: ${crashes}`);
