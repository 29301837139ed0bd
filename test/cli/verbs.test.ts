// The verbs that observe (current --refresh, guards, doctor) run on this
// development machine as it is — no GPU, no logind, systemd not PID 1 — and
// must say "unknown, because ..." instead of crashing or guessing; their JSON
// matches the published schemas. The read-only verbs read what the records
// layer wrote.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, exitName } from '../../cli/exit-codes.ts';
import { DEBUG_SOURCES } from '../../cli/table.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import { DEBUG_PARSE_SOURCES } from '../../schemas/debug-parse.ts';
import { runCli } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { proven, writeRecords } from './support/records.ts';
import { schemaErrors } from './support/schema.ts';

const fixture = (dir: string, file?: string): string => {
  const root = new URL(`../fixtures/real-outputs/${dir}/`, import.meta.url);
  return new URL(file ?? readdirSync(root).find((f) => !f.endsWith('.md') && !f.endsWith('.json'))!, root).pathname;
};

let dirs: CliDirs;
beforeAll(() => {
  dirs = cliDirs();
  writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
});
afterAll(() => dirs.cleanup());

const json = async (args: string[], schema: string) => {
  const result = await runCli([...args, '--json'], { env: { ...dirs.env, PATH: process.env.PATH } });
  const output = JSON.parse(result.stdout) as { exit?: { code: number; name: string } };
  expect(schemaErrors(schema, output)).toEqual([]);
  if (output.exit) expect(output.exit).toEqual({ code: result.code, name: exitName(result.code!) });
  return { result, output };
};

describe('observing verbs on this machine', () => {
  it('current --refresh reports each unreadable source as unknown with its reason', async () => {
    const { result, output } = await json(['current', '--refresh'], 'cli-current');
    expect(result.stderr).toBe('');
    const facts = (output as unknown as { facts: Record<string, { status: string; reason?: string }> }).facts;
    for (const [name, fact] of Object.entries(facts)) if (name !== 'observedAt' && fact.status === 'unknown') expect(fact.reason?.length, name).toBeGreaterThan(0);
    expect([EXIT.ok, EXIT.degraded, EXIT.unknown]).toContain(result.code);
  });

  it('guards exits by its verdict', async () => {
    const { result, output } = await json(['guards', 'compute'], 'cli-guards');
    const verdict = (output as unknown as { verdict: string }).verdict;
    expect(result.code).toBe({ pass: EXIT.ok, 'soft-only': EXIT.softOnly, 'hard-block': EXIT.blocked }[verdict]);
  });

  it('doctor gives pass, fail or unknown with the fact behind it, and exits by the worst', async () => {
    const { result, output } = await json(['doctor'], 'cli-doctor');
    const checks = (output as unknown as { checks: { id: string; status: string; message: string }[] }).checks;
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['gpus-present', 'display-gpu', 'compute-gpus', 'bootloader', 'vllm-model']));
    for (const c of checks) expect(c.message.length).toBeGreaterThan(0);
    const worst = checks.some((c) => c.status === 'fail') ? EXIT.checkFailed : checks.some((c) => c.status === 'unknown') ? EXIT.unknown : EXIT.ok;
    expect(result.code).toBe(worst);
  });

  it('explain --json matches its schema here too', async () => {
    await json(['explain', 'desktop'], 'cli-explain');
  });
});

describe('read-only verbs', () => {
  it('current without --refresh shows the recorded observation', async () => {
    await writeRecords(dirs, { observation: proven('studio-local') });
    const { result, output } = await json(['current'], 'cli-current');
    expect(result.code).toBe(EXIT.ok);
    expect(output).toMatchObject({ source: 'recorded', observed: { mode: 'studio-local', runId: 'run-obs' } });
    const text = await runCli(['current'], { env: dirs.env });
    expect(text.stdout).toMatch(/^studio-local {2}observed /);
    expect(text.stdout).toContain('memory');
  });

  it('desired prints the recorded mode and generation', async () => {
    await writeRecords(dirs, { desired: ['compute'] });
    const { output } = await json(['desired'], 'cli-desired');
    expect(output).toMatchObject({ desired: { mode: 'compute', requestedBy: 'tester' } });
  });

  it('history shows the latest N events of the audit log, skipping a torn tail', async () => {
    const store = createRecordStore({ runtimeDir: dirs.runtimeDir, stateDir: dirs.stateDir });
    for (let i = 0; i < 30; i += 1) {
      const appended = await store.appendAuditEvent({ runId: `run-${i}`, event: 'outcome', target: 'desktop', generation: i, outcome: 'noop', reason: null });
      if (!appended.ok) throw new Error(appended.failure.message);
    }
    writeFileSync(join(dirs.stateDir, 'events.jsonl'), '{"v":1,"seq":99,"torn', { flag: 'a' });
    const { output } = await json(['history', '-n', '5'], 'cli-history');
    const events = (output as unknown as { events: { runId: string }[]; skipped: number }).events;
    expect(events.map((e) => e.runId)).toEqual(['run-25', 'run-26', 'run-27', 'run-28', 'run-29']);
    expect((output as unknown as { skipped: number }).skipped).toBe(1);
    const text = await runCli(['history', '-n', '2'], { env: dirs.env });
    expect(text.stdout.trim().split('\n')).toHaveLength(2);
    expect(text.stderr).toContain('skipped 1 unreadable line');
  });
});

describe('mode debug parse', () => {
  it('offers exactly the observer\'s sources', () => {
    expect([...DEBUG_SOURCES]).toEqual([...DEBUG_PARSE_SOURCES]);
  });

  it('prints the facts of a real nvidia-smi -q -x and of a real /proc/meminfo', async () => {
    const xml = await runCli(['debug', 'parse', 'nvidia-smi-xml', fixture('d_nvidia_smi_xml', 'rtx3080-536-v12-xorg-gnome-browser-processes.xml')]);
    expect(xml.code, xml.stderr).toBe(0);
    const parsed = JSON.parse(xml.stdout) as { gpus: { index: number; memoryTotalMiB: number | null }[] };
    expect(schemaErrors('debug-parse', parsed)).toEqual([]);
    expect(parsed.gpus.length).toBeGreaterThan(0);
    const meminfo = await runCli(['debug', 'parse', 'meminfo', '-'], { input: readFileSync(fixture('j_proc_meminfo'), 'utf8') });
    expect(JSON.parse(meminfo.stdout)).toMatchObject({ memTotalKiB: expect.any(Number) as unknown });
  });

  it('exits 65 naming the line it could not read, 66 for a missing file', async () => {
    const bad = await runCli(['debug', 'parse', 'meminfo', '-'], { input: 'MemTotal:       16318480 kB\nthis is not meminfo\n' });
    expect(bad.code).toBe(EXIT.dataError);
    expect(bad.stderr).toMatch(/line 2/);
    const missing = await runCli(['debug', 'parse', 'lspci', '/nonexistent/lspci.txt']);
    expect(missing.code).toBe(EXIT.noInput);
    expect(missing.stderr).toContain('/nonexistent/lspci.txt does not exist');
  });
});
