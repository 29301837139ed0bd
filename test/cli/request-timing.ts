// How long `mode request` takes against a sandboxed systemd, and how much of
// it comes after the run has ended: a measurement, not a test (issue 17).
// Boots one controller sandbox, then alternates `mode request studio-local`
// and `mode request desktop` from outside, the way request-sandbox.test.ts
// does, and prints per request: the CLI's wall time, the record's durationMs,
// and "after": from the run's `outcome` audit event (written right after
// last-transition.json) to the CLI's exit, both on CLOCK_MONOTONIC, and
// "after unit": from the unit leaving activating to the CLI's exit.
//
//   npx node test/cli/request-timing.ts [pairs, default 4] [other mode.ts ...]
//
// Further entries (e.g. cli/mode.ts of an older commit, unpacked with
// `git archive`) take turns with this tree's, pair by pair, in the same
// sandbox, so a before/after comparison shares the machine's load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootControllerSandbox, cliEnvFor } from '../sandbox/e2e.ts';
import { monotonicMs } from '../../effects/monotonic.ts';
import { MODE_TS, runCli } from './support/cli.ts';

const pairs = Number(process.argv[2] ?? 4);
const entries = [MODE_TS, ...process.argv.slice(3)];
if (!Number.isInteger(pairs) || pairs < 1 || pairs > 20) throw new Error(`pairs must be a whole number from 1 to 20, got ${process.argv[2]}`);

interface Row {
  entry: string;
  mode: string;
  wallMs: number;
  recordMs: number;
  afterMs: number;
  /** from the unit leaving activating (PID 1's journal line) to the CLI's exit; null when the journal has no such line */
  afterUnitMs: number | null;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const sandbox = await bootControllerSandbox();
const rows: Row[] = [];
try {
  const env = cliEnvFor(sandbox);
  const events = join(env.STATE_DIRECTORY!, 'events.jsonl');
  for (let i = 0; i < pairs; i++) {
    for (const entry of entries) for (const mode of ['studio-local', 'desktop']) {
      const startedAt = monotonicMs();
      const result = await runCli(['request', mode, '--json'], { env, entry, timeoutMs: 300_000 });
      const endedAt = monotonicMs();
      if (result.code !== 0) throw new Error(`mode request ${mode} exited ${result.code}: ${result.stderr}`);
      const record = (JSON.parse(result.stdout) as { record: { runId: string; durationMs: number } }).record;
      const outcome = readFileSync(events, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; runId: string; monoMs: number })
        .findLast((e) => e.event === 'outcome' && e.runId === record.runId);
      if (!outcome) throw new Error(`no outcome event for run ${record.runId} in ${events}`);
      // when the unit left activating: PID 1's "Deactivated successfully." in the journal (systemd unloads the
      // instance at once, so its InactiveEnterTimestampMonotonic cannot be read afterwards)
      const unit = `mode-controller@${mode}.service`;
      const journal = (await sandbox.exec(['journalctl', '--no-pager', '-o', 'short-monotonic', '-n', '20', '-u', unit])).stdout;
      const ended = journal.split('\n').findLast((line) => line.includes(`${unit}: Deactivated successfully`))?.match(/^\[\s*(\d+\.\d+)\]/)?.[1];
      rows.push({ entry, mode, wallMs: endedAt - startedAt, recordMs: record.durationMs, afterMs: endedAt - outcome.monoMs, afterUnitMs: ended === undefined ? null : endedAt - Number(ended) * 1000 });
    }
  }
} finally {
  await sandbox.stop();
}

for (const row of rows) console.log(`${row.entry} ${row.mode.padEnd(13)} wall ${row.wallMs.toFixed(0).padStart(5)} ms  record ${row.recordMs.toFixed(0).padStart(5)} ms  after ${row.afterMs.toFixed(0).padStart(4)} ms  after unit ${row.afterUnitMs === null ? '-' : row.afterUnitMs.toFixed(0).padStart(4)} ms`);
for (const entry of entries) {
  for (const mode of ['studio-local', 'desktop']) {
    const of = rows.filter((r) => r.entry === entry && r.mode === mode);
    console.log(`${entry} ${mode}: median wall ${median(of.map((r) => r.wallMs)).toFixed(0)} ms, record ${median(of.map((r) => r.recordMs)).toFixed(0)} ms, after ${median(of.map((r) => r.afterMs)).toFixed(0)} ms (n=${of.length})`);
  }
}
