// Captures the real outputs the bench's parsers are tested on
// (test/bench/fixtures/): strace of one observation and of a no-op run,
// the module files `mode status` opens, the journal of a measured controller
// run (probe line + GNU time -v), its last-transition.json records, a
// CPU profile of `mode status`, and what a request starts and writes (strace
// of the CLI and of the controller in its unit). Run as root, rarely:
// npx node bench/capture-fixtures.ts
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSIDE_NODE } from '../test/sandbox/layout.ts';
import { findOnPath, sandboxPrerequisites } from '../test/sandbox/prerequisites.ts';
import { buildForms, REPO } from './lib/cli-forms.ts';
import { bootBenchSandbox, insideRepo, operatorEnv, profileFolder, RUNTIME_DIR } from './lib/sandbox-bench.ts';
import { traceRequests } from './phases/request-listing.ts';

const OUT = join(REPO, 'test', 'bench', 'fixtures');
const missing = sandboxPrerequisites();
const straceBinary = findOnPath('strace');
if (straceBinary === null) missing.push('strace (apt-get install strace)');
if (missing.length > 0 || straceBinary === null) {
  console.error(`capturing needs the sandbox: ${missing.join('; ')}`);
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
const { forms } = await buildForms(new AbortController().signal);
// the tsc build: one file per source module, so profiles and module lists name the repo's files
const shipped = forms.find((f) => f.name === 'tsc');
if (!shipped) throw new Error('no tsc form');
const sandbox = await bootBenchSandbox(insideRepo(shipped.entry), ['run', '%i']);
try {
  const env = operatorEnv(sandbox);
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const cli = (args: string[]) => [INSIDE_NODE, insideRepo(shipped.entry), ...args];
  const strace = async (file: string, what: string, args: string[]) => {
    const inside = `/run/dubnium-sandbox/${file}`;
    const r = await sandbox.exec(['env', '-i', ...envArgs, 'strace', '-f', '-qq', '-v', '-s', '4096', '-e', `trace=${what}`, '-o', inside, ...cli(args)], 120_000);
    if (r.exitCode === null || r.exitCode === 1) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    writeFileSync(join(OUT, file), readFileSync(join(sandbox.dir, file), 'utf8'));
  };
  const request = async (mode: string, fixture: string) => {
    const r = await sandbox.exec(['env', '-i', ...envArgs, ...cli(['request', mode])], 300_000);
    if (r.exitCode !== 0) throw new Error(`mode request ${mode}: ${r.stdout}${r.stderr}`);
    writeFileSync(join(OUT, fixture), sandbox.readInside(`${RUNTIME_DIR}/last-transition.json`) ?? '');
  };
  await request('studio-local', 'last-transition.studio-local.json');
  await request('desktop', 'last-transition.desktop-from-studio.json');
  const journal = await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', 'mode-controller@studio-local.service'], 60_000);
  writeFileSync(join(OUT, 'journal.mode-controller-studio-local.txt'), journal.stdout);
  await strace('strace-process.current-refresh.txt', 'process', ['current', '--json', '--refresh']);
  await strace('strace-process.run-desktop-noop.txt', 'process', ['run', 'desktop']);
  await strace('strace-openat.status.txt', 'openat,process', ['status']);
  const folder = profileFolder(sandbox, 'capture');
  const prof = await sandbox.exec(['env', '-i', ...envArgs, INSIDE_NODE, '--cpu-prof', `--cpu-prof-dir=${folder.inside}`, insideRepo(shipped.entry), 'status'], 60_000);
  if (prof.exitCode === 1) throw new Error(prof.stderr);
  const dir = join(sandbox.dir, 'bench', 'profiles', 'capture');
  const [profile] = readdirSync(dir);
  if (!profile) throw new Error('node --cpu-prof wrote no profile');
  writeFileSync(join(OUT, 'status.cpuprofile'), readFileSync(join(dir, profile), 'utf8'));
  for (const { mode, cli, controller } of await traceRequests(sandbox, straceBinary, shipped.entry)) {
    writeFileSync(join(OUT, `strace-writes.request-cli-${mode}.txt`), cli);
    writeFileSync(join(OUT, `strace-writes.run-${mode}.txt`), controller);
  }
  console.log(`captured into ${OUT}`);
} finally {
  const report = await sandbox.stop();
  if (report.problems.length > 0) console.error(`teardown: ${report.problems.join('; ')}`);
}
