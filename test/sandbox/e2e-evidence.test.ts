// Issue 14 item 2 end to end: after a compute run that vLLM never made ready
// was rolled back, `mode evidence --output DIR` run outside like an operator
// (root, the sandbox's records and its systemctl/journalctl/nvidia-smi
// wrappers) keeps every piece with its exit status, and a user who is not
// root gets a smaller bundle whose README says so.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigInput } from '../../schemas/config.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { MODE_TS, runCli } from '../cli/support/cli.ts';
import { bootControllerSandbox, cliEnvFor, request, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

interface Manifest {
  uid: number;
  pieces: { file: string; from: string; exitCode: number | null; stderr: string; note: string | null; bytes: number }[];
}

const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();

describeWhen(sandboxPrerequisites(), 'end to end: mode evidence after a rolled-back compute run', () => {
  let sandbox: ControllerSandbox;
  let work: string;
  let config: string;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({
      vllm: { health: 'never-ready' },
      vllmReadyTimeout: '8s',
      config: (c: ConfigInput) => ({ ...c, thresholds: { ...c.thresholds, stepTimeoutsMs: { ...c.thresholds.stepTimeoutsMs, vllmReady: 10_000 } } }),
    });
    const { record } = await request(sandbox, 'compute');
    expect(record.outcome).toBe('rolled-back');
    work = mkdtempSync(join(tmpdir(), 'dubnium-evidence-'));
    chmodSync(work, 0o777);
    // the sandbox's config names its tools by their paths inside; outside, the wrappers on PATH stand for them
    const inside = JSON.parse(readFileSync(join(sandbox.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    config = join(work, 'config.json');
    writeFileSync(config, JSON.stringify({ ...inside, tools: {} }), { mode: 0o644 });
  }, 600_000);
  afterAll(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
    await sandbox?.stop();
  });

  it('as root: every piece of the plan\'s list, each with its exit status, README.txt, and the .tar.gz', async () => {
    const out = join(work, 'root-bundle');
    const run = await runCli(['evidence', '--output', out], { env: { ...cliEnvFor(sandbox, config), LANG: 'C' }, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout).toBe(`${out}\n${out}.tar.gz\n`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const piece = (file: string) => manifest.pieces.find((p) => p.file === file);
    expect(manifest.uid).toBe(0);
    // the records of the rolled-back run
    const transition = JSON.parse(readFileSync(join(out, 'last-transition.json'), 'utf8')) as { outcome: string };
    expect(transition.outcome).toBe('rolled-back');
    for (const file of ['last-guards.json', 'last-observation.json', 'capability-placement.json', 'hardware-topology.json', 'config.json']) expect(existsSync(join(out, file)), file).toBe(true);
    // the verbs, run in the same process, with their own exit statuses
    // compute is still desired and not reached: status says pending
    expect(piece('status.txt')?.exitCode).toBe(EXIT.pending);
    expect(readFileSync(join(out, 'status.txt'), 'utf8')).toMatch(/rolled-back/);
    expect(JSON.parse(readFileSync(join(out, 'current.json'), 'utf8'))).toMatchObject({ observed: { mode: 'desktop' } });
    expect(piece('history.json')?.exitCode).toBe(EXIT.ok);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as { events: { event: string }[] };
    expect(history.events.length).toBeGreaterThan(0);
    // the real systemctl of the sandbox: some units are inactive (exit 3), compute.target among them
    expect(piece('systemctl-status.txt')?.exitCode).toBe(3);
    expect(readFileSync(join(out, 'systemctl-status.txt'), 'utf8')).toMatch(/compute\.target/);
    // the sandbox's nvidia-smi stand-in answers -q -x as the real one does
    expect(piece('nvidia-smi-q.xml')?.exitCode).toBe(0);
    expect(readFileSync(join(out, 'nvidia-smi-q.xml'), 'utf8')).toContain('<nvidia_smi_log');
    expect(piece('version-systemctl.txt')?.exitCode).toBe(0);
    expect(readFileSync(join(out, 'version-systemctl.txt'), 'utf8')).toMatch(/^systemd \d+/);
    // the journal: the sandbox's real journald, read by its journalctl as root, has the run's lines
    for (const file of ['journal-mode-controller.txt', 'journal-vllm.txt']) expect(piece(file)?.exitCode, file).toBe(0);
    expect(readFileSync(join(out, 'journal-mode-controller.txt'), 'utf8')).toMatch(/mode-controller@compute/);
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toContain('(root)');
    expect(readme).not.toContain('not root');
    for (const p of manifest.pieces) expect(readme, p.file).toContain(`  ${p.file} `);
    const listed = spawnSync('tar', ['-tzf', `${out}.tar.gz`], { encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n').filter(Boolean).sort()).toEqual(['root-bundle/', ...readdirSync(out).map((f) => `root-bundle/${f}`)].sort());
  }, 180_000);

  it.skipIf(process.getuid?.() !== 0 || setpriv === '')('as a user who is not root: a smaller bundle that says what it lacks, every status kept', () => {
    // the records as the unit leaves them (runtime folder 0755, records 0644); the audit log is root's
    const root = `/proc/${sandbox.systemdPid}/root`;
    const runtime = join(work, 'run');
    const state = join(work, 'state');
    mkdirSync(runtime, { mode: 0o755 });
    mkdirSync(state, { mode: 0o700 });
    for (const file of readdirSync(`${root}/run/mode-controller`).filter((f) => f.endsWith('.json'))) {
      copyFileSync(`${root}/run/mode-controller/${file}`, join(runtime, file));
      chmodSync(join(runtime, file), 0o644);
    }
    copyFileSync(`${root}/var/lib/mode-controller/events.jsonl`, join(state, 'events.jsonl'));
    const out = join(work, 'user-bundle');
    const env = { ...cliEnvFor(sandbox, config), RUNTIME_DIRECTORY: runtime, STATE_DIRECTORY: state, LANG: 'C', HOME: '/nonexistent' };
    const run = spawnSync(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, MODE_TS, 'evidence', '--output', out], { env, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(EXIT.ok);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const piece = (file: string) => manifest.pieces.find((p) => p.file === file);
    expect(manifest.uid).toBe(65534);
    expect(piece('history.json')?.exitCode).toBe(EXIT.denied);
    expect(readFileSync(join(out, 'history.json.stderr'), 'utf8')).toMatch(/not readable by this user/);
    expect(JSON.parse(readFileSync(join(out, 'last-transition.json'), 'utf8'))).toMatchObject({ outcome: 'rolled-back' });
    // the sandbox's wrappers need root to enter it: each tool's failure is kept, none stopped the rest
    expect(piece('systemctl-status.txt')?.exitCode).not.toBe(0);
    for (const p of manifest.pieces) expect(p.exitCode !== null || p.note !== null || p.bytes > 0, p.file).toBe(true);
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toMatch(/by uid 65534, /);
    expect(readme).toMatch(/Made by a user who is not root, so it holds less than `sudo mode evidence` would:\n {2}history\.json: /);
    expect(spawnSync('tar', ['-tzf', `${out}.tar.gz`], { encoding: 'utf8' }).stdout).toContain('user-bundle/README.txt\n');
  }, 180_000);
});
