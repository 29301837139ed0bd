// What the controller unit's hardening costs each time the unit starts
// (issue 17: "unit set-up" in a request's timeline). Inside one sandboxed
// systemd 252, a transient oneshot running /bin/true is started with
// `systemd-run --wait` under each variant of units/mode-controller@.service's
// hardening block (lib/unit-hardening.ts): none, all of it, and all but one
// group. The variants run interleaved (lib/interleave.ts) after one warm-up
// round, timed inside the sandbox. Prints a table and writes
// bench/results/unit-hardening.json.
//   npx node bench/unit-hardening.ts [--rounds 30]
// Needs what the sandbox needs (root, bwrap, /lib/systemd/systemd).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { INSIDE_DIR } from '../test/sandbox/layout.ts';
import { withSandbox } from '../test/sandbox/sandbox.ts';
import { interleave } from './lib/interleave.ts';
import { loadAverage, machineInfo } from './lib/machine.ts';
import { pairedRatios, round, summarize } from './lib/stats.ts';
import { hardeningSettings, hardeningVariants, parseTimings, timingScript, transientStartArgv } from './lib/unit-hardening.ts';

const REPO = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 3) {
  console.error(`--rounds must be an integer of at least 3, got "${values.rounds}"`);
  process.exit(2);
}

const settings = hardeningSettings(readFileSync(join(REPO, 'units/mode-controller@.service'), 'utf8'));
const variants = hardeningVariants(settings);
const loadAtStart = loadAverage();
const byVariant = await withSandbox({}, async (sandbox) => {
  // round 0 is the warm-up, thrown away below
  const slots = interleave(variants.map((_, index) => index), rounds + 1);
  const script = timingScript(slots.map((slot) => ({ index: slot.item, argv: transientStartArgv(variants[slot.item]!, '/bin/true') })));
  writeFileSync(join(sandbox.dir, 'unit-hardening.sh'), script, { mode: 0o755 });
  const run = await sandbox.exec(['/bin/sh', `${INSIDE_DIR}/unit-hardening.sh`], 30 * 60_000);
  if (run.exitCode !== 0) throw new Error(`the timing script failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
  const ordered = parseTimings(run.stdout, variants.length);
  // drop each variant's first start (its warm-up slot)
  return ordered.map((times) => times.slice(1).map((ns) => ns / 1e6));
});
if (byVariant.some((times) => times.length !== rounds)) throw new Error(`each variant should have ${rounds} timed starts; the script did not run every slot`);

const bare = byVariant[0]!;
const packaged = byVariant[1]!;
const rows = variants.map((variant, i) => {
  const times = byVariant[i]!;
  const summary = summarize(times);
  return {
    name: variant.name,
    leftOut: variant.leftOut,
    ms: { median: round(summary.median), min: round(summary.min), max: round(summary.max) },
    overBare: round(summary.median / summarize(bare).median, 2),
    pairedOverBare: pairedRatios(times, bare),
    // what leaving the group out saves against the packaged unit, median of the paired differences
    savedMs: round(summarize(times.map((t, k) => packaged[k]! - t)).median),
  };
});
const results = { schemaVersion: 1, date: new Date().toISOString(), machine: machineInfo(), loadAverage: { start: loadAtStart, end: loadAverage() }, rounds, settings, rows };
const out = join(REPO, 'bench/results/unit-hardening.json');
writeFileSync(`${out}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
renameSync(`${out}.tmp`, out);

const la = (l: readonly number[]) => l.map((v) => v.toFixed(2)).join(' / ');
console.log(`\nA transient oneshot running /bin/true, started with systemd-run --wait inside the sandbox (${rounds} interleaved rounds); load average ${la(loadAtStart)} at the start, ${la(results.loadAverage.end)} at the end.\n`);
console.log('| variant | median | min – max | × no hardening (paired) | saved against the packaged unit (paired median) |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  const paired = `${row.pairedOverBare.min.toFixed(2)}× – ${row.pairedOverBare.max.toFixed(2)}×`;
  console.log(`| ${row.name} | ${row.ms.median} ms | ${row.ms.min} – ${row.ms.max} ms | ${row.overBare.toFixed(2)}× (${paired}) | ${row.name === 'the packaged hardening' ? '' : `${row.savedMs} ms`} |`);
}
console.log(`\nresults: bench/results/unit-hardening.json`);
