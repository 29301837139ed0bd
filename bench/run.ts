// npm run bench: the cost of observing and switching against its floors
// (issues 8 and 17), measured side by side in one run inside a sandboxed
// systemd 252. Needs root, bubblewrap, nsenter and systemd's binaries (the
// sandbox), /usr/bin/time, and strace (the observer's tool calls, which the
// floors replay, and what a request starts and writes). Writes
// bench/results/latest.json and the table in bench/README.md.
//   npx node bench/run.ts [--rounds 15] [--studio-rounds 5] [--compute-rounds 1]
//                         [--property-scenarios 300] [--property-repeats 3] [--profile-runs 5]
//                         [--full-log-rounds 3]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findOnPath, sandboxPrerequisites } from '../test/sandbox/prerequisites.ts';
import { buildForms, REPO, type CliForm } from './lib/cli-forms.ts';
import { evaluateGoals } from './lib/goals.ts';
import { loadAverage, machineInfo } from './lib/machine.ts';
import type { BenchResults } from './lib/results.ts';
import { bootBenchSandbox, controllerPeakRss, insideRepo, type ControllerSandbox } from './lib/sandbox-bench.ts';
import { spliceTable, renderTable } from './lib/table.ts';
import { measureColdStarts } from './phases/cold-start.ts';
import { measureFullLog } from './phases/full-log.ts';
import { moduleLoads } from './phases/module-loads.ts';
import { measurePropertyThroughput } from './phases/property.ts';
import { profileColdStarts, profileStudioRoundTrip } from './phases/profiles.ts';
import { listRequests } from './phases/request-listing.ts';
import { measureCompute, measureStudio } from './phases/round-trips.ts';
import { countObservation, countSpawns, observationArgv } from './phases/spawns.ts';

const OPTIONS = {
  rounds: { type: 'string', default: '15' },
  'studio-rounds': { type: 'string', default: '5' },
  'compute-rounds': { type: 'string', default: '1' },
  'property-scenarios': { type: 'string', default: '300' },
  'property-repeats': { type: 'string', default: '3' },
  'profile-runs': { type: 'string', default: '5' },
  // studio round trips with the audit log near its rotation size, last, so no other phase runs on that log
  'full-log-rounds': { type: 'string', default: '3' },
} as const;
// the request path's raw .cpuprofile files are kept under bench/results/profiles/<label>/ (issue 17, item 4)
const LABEL = { 'profile-label': { type: 'string', default: 'latest' } } as const;

function settings(): Record<keyof typeof OPTIONS, number> {
  const { values } = parseArgs({ options: { ...OPTIONS, ...LABEL }, strict: true });
  const out = {} as Record<keyof typeof OPTIONS, number>;
  for (const key of Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]) {
    const n = Number(values[key]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} must be a positive integer, got "${values[key]}"`);
    out[key] = n;
  }
  return out;
}

function profileLabel(): string {
  const { values } = parseArgs({ options: { ...OPTIONS, ...LABEL }, strict: true });
  const label = values['profile-label'];
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(label)) throw new Error(`--profile-label must be a plain folder name (letters, digits, . _ -), got "${label}"`);
  return label;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function missingPrerequisites(): string[] {
  const missing = sandboxPrerequisites();
  if (!findOnPath('time') && !findOnPath('/usr/bin/time')) missing.push('/usr/bin/time missing (it reports the controller\'s peak RSS from the unit): apt-get install time');
  if (!findOnPath('strace')) missing.push('strace missing (the floors replay the observer\'s tool calls as strace saw them; it lists what a request starts and writes): apt-get install strace');
  return missing;
}

function formNamed(forms: readonly CliForm[], name: CliForm['name']): CliForm {
  const form = forms.find((f) => f.name === name);
  if (!form) throw new Error(`no ${name} form was built`);
  return form;
}

async function main(): Promise<number> {
  const opts = settings();
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    say(`The bench runs in a sandboxed systemd 252 and cannot run here:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    return 2;
  }
  // the host's path is the same inside: the sandbox sees the host's / read-only
  const strace = findOnPath('strace');
  if (strace === null) throw new Error('strace is no longer on PATH');
  const started = performance.now();
  const date = new Date().toISOString();
  const load: BenchResults['loadAverage'] = { start: loadAverage(), end: [], phases: {} };
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    say(`• ${name}...`);
    const t = performance.now();
    const value = await fn();
    load.phases[name] = loadAverage();
    say(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s (load average ${loadAverage().map((v) => v.toFixed(2)).join(' ')})`);
    return value;
  };
  const abort = new AbortController();

  const built = await phase('building the CLI forms (scripts/build-cli.ts, npm run build:lib\'s tsc)', () => buildForms(abort.signal));
  if (built.copiedIntoTsc.length > 0) say(`  note: npm run build:lib (tsc) leaves out ${built.copiedIntoTsc.join(', ')}; copied in so that form runs`);
  const shipped = formNamed(built.forms, 'shipped');

  let sandbox: ControllerSandbox | null = null;
  const stopOnSignal = () => {
    abort.abort();
    void (sandbox?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  let partial: Omit<BenchResults, 'goals' | 'property' | 'durationS'>;
  try {
    sandbox = await phase('booting systemd 252 in a bubblewrap sandbox', () => bootBenchSandbox(insideRepo(shipped.entry), ['run', '%i']));
    const sb = sandbox;
    // first: the verified floor of the studio round trip replays the observer's own tool calls
    const spawns = await phase('counting the processes of one observation (strace)', () => countSpawns(sb, shipped.entry));
    const verifiedArgv = observationArgv(spawns.observation);
    const studio = await phase(`studio round trips (${opts['studio-rounds']} rounds, interleaved with the verified floor and the systemctl script)`, () => measureStudio(sb, shipped.entry, verifiedArgv, opts['studio-rounds']));
    const compute = await phase(`compute round trips (${opts['compute-rounds']})`, () => measureCompute(sb, shipped.entry, opts['compute-rounds']));
    // before the profiled and traced round trips below, whose runs carry the profiler or strace
    const rssRuns = await controllerPeakRss(sb, ['studio-local', 'desktop', 'compute'].map((m) => `mode-controller@${m}.service`));
    const requestProfiles = await phase('CPU profiles of one studio round trip (the CLI and the controller in its unit)', () => profileStudioRoundTrip(sb, shipped, join(REPO, 'bench/results/profiles', profileLabel())));
    const requests = await phase('listing what a request starts and writes (strace of the CLI and of the controller in its unit)', () => listRequests(sb, strace, shipped.entry));
    const loads = await phase('listing the modules each verb loads (strace)', () => moduleLoads(sb, [shipped, formNamed(built.forms, 'tsc')]));
    // compute ended the desktop session and a new one began: the observer's show-session call now names the new session
    const observation = await phase('tracing one observation again for the cold starts\' floor (strace)', () => countObservation(sb, shipped.entry));
    const observeArgv = observationArgv(observation);
    const cold = await phase(`cold starts (${opts.rounds} interleaved rounds)`, () => measureColdStarts(sb, built.forms, observeArgv, opts.rounds));
    const profiles = await phase(`CPU profiles of the shipped and tsc forms (${opts['profile-runs']} runs each)`, () =>
      profileColdStarts(sb, [shipped, formNamed(built.forms, 'tsc')], opts['profile-runs']),
    );
    const fullLog = await phase(`studio round trips with the audit log near its rotation size (${opts['full-log-rounds']} rounds, interleaved with the verified floor)`, () =>
      measureFullLog(sb, shipped.entry, observeArgv, opts['full-log-rounds']),
    );
    partial = {
      schemaVersion: 2,
      date,
      machine: machineInfo(),
      loadAverage: load,
      settings: opts,
      forms: built.forms,
      tscBuildGaps: built.copiedIntoTsc,
      coldStart: { rounds: opts.rounds, ...cold, observeFloorArgv: observeArgv },
      spawns,
      moduleLoads: loads,
      studio: { rounds: opts['studio-rounds'], program: `mode run %i (${shipped.entry}), node --jitless`, ...studio },
      compute: { rounds: opts['compute-rounds'], program: `mode run %i (${shipped.entry}), node --jitless`, ...compute },
      rss: { runs: rssRuns },
      fullLog: { rounds: opts['full-log-rounds'], program: `mode run %i (${shipped.entry}), node --jitless`, ...fullLog },
      requests,
      profiles: { ...requestProfiles, ...profiles },
    };
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    const report = await sandbox?.stop();
    if (report && report.problems.length > 0) say(`sandbox teardown problems: ${report.problems.join('; ')}`);
  }

  const property = await phase(`property-test throughput (${opts['property-scenarios']} scenarios × ${opts['property-repeats']})`, () =>
    measurePropertyThroughput(opts['property-scenarios'], opts['property-repeats'], abort.signal),
  );
  load.end = loadAverage();
  const withoutGoals = { ...partial, property, durationS: (performance.now() - started) / 1000 };
  const results: BenchResults = { ...withoutGoals, goals: evaluateGoals(withoutGoals) };

  const out = join(REPO, 'bench', 'results', 'latest.json');
  writeFileSync(`${out}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);
  const readmePath = join(REPO, 'bench', 'README.md');
  const table = renderTable(results);
  writeFileSync(readmePath, spliceTable(readFileSync(readmePath, 'utf8'), table));

  say(`\n${table}\n`);
  for (const g of results.goals) say(`${g.met === null ? '?' : g.met ? 'met   ' : 'MISSED'}  ${g.name}: ${g.measured} (goal ${g.goal})`);
  say(`\nresults: bench/results/latest.json; table: bench/README.md (${results.durationS.toFixed(0)} s)`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
