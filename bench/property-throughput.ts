// Property-test throughput: the engine's random-request property (the same
// scenarioArb and checkScenario as test/engine/machines/properties.test.ts
// and long-property-run.ts beside it) for a fixed number of scenarios and a
// fixed seed, timed. Prints one JSON line; bench/run.ts runs it in a fresh
// process per repetition so that each starts equally cold.
//   node bench/property-throughput.ts --scenarios 300 --seed 8
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { workstationConfig as config } from '../test/engine/support/config.ts';
import { checkScenario, scenarioArb } from '../test/engine/support/scenarios.ts';

const { values } = parseArgs({ options: { scenarios: { type: 'string', default: '300' }, seed: { type: 'string', default: '8' } } });
const scenarios = Number(values.scenarios);
const seed = Number(values.seed);
if (!Number.isInteger(scenarios) || scenarios < 1 || !Number.isInteger(seed)) {
  console.error(`--scenarios must be a positive integer and --seed an integer; got "${values.scenarios}" and "${values.seed}"`);
  process.exit(2);
}

let controllerRuns = 0;
let crashes = 0;
const started = performance.now();
await fc.assert(
  fc.asyncProperty(scenarioArb(config, 5), async (scenario) => {
    const result = await checkScenario(config, scenario);
    controllerRuns += result.outcomes.length;
    crashes += result.crashes;
    return result.violations.length === 0 || Promise.reject(new Error(result.violations.join('\n')));
  }),
  { numRuns: scenarios, seed },
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ scenarios, seed, controllerRuns, crashes, seconds })}\n`);
