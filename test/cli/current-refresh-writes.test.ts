// `mode current --refresh` leaves its fresh observation as last-observation.json
// when the process may write the runtime folder (root, as on the workstation),
// so `mode current` and `mode status` show it afterwards; a user who may not
// write there gets the fresh observation and the same exit code, and no word
// about the records. Tools: none on PATH, so every tool fact is unknown and
// the run is quick and the same on any machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, exitForObservedMode } from '../../cli/exit-codes.ts';
import type { CurrentOutput, StatusOutput } from '../../schemas/cli-output.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { MODE_TS, runCli } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { proven, transition, writeRecords } from './support/records.ts';
import { schemaErrors } from './support/schema.ts';

let dirs: CliDirs;
let env: Record<string, string>;
beforeEach(() => {
  dirs = cliDirs();
  writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
  const bin = join(dirs.root, 'bin');
  mkdirSync(bin);
  env = { ...dirs.env, PATH: bin };
});
afterEach(() => dirs.cleanup());

const recordPath = () => join(dirs.runtimeDir, 'last-observation.json');
const readRecordFile = (): ObservationRecord => JSON.parse(readFileSync(recordPath(), 'utf8')) as ObservationRecord;

async function current(args: string[]): Promise<{ code: number | null; stderr: string; output: CurrentOutput }> {
  const result = await runCli(['current', ...args, '--json'], { env });
  const output = JSON.parse(result.stdout) as CurrentOutput;
  expect(schemaErrors('cli-current', output)).toEqual([]);
  expect(output.exit.code).toBe(result.code);
  return { code: result.code, stderr: result.stderr, output };
}

describe('mode current --refresh by a process that may write the runtime folder', () => {
  it('writes last-observation.json, and mode current and mode status then show that observation', async () => {
    // an older run on record: the fresh observation is newer and must win
    await writeRecords(dirs, { desired: ['desktop'], transition: transition('desktop', 1, 'succeeded') });
    const fresh = await current(['--refresh']);
    expect(fresh.stderr).toBe('');
    expect(fresh.output).toMatchObject({ source: 'fresh', problems: [] });
    expect(fresh.code).toBe(exitForObservedMode(fresh.output.observed!.mode));

    const written = readRecordFile();
    expect(schemaErrors('observation-record', written)).toEqual([]);
    expect(written.runId).toBeNull();
    expect(written.facts).toEqual(fresh.output.facts);
    expect(written.classification.mode).toBe(fresh.output.observed?.mode);
    expect(written.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(statSync(recordPath()).mode & 0o777).toBe(0o644);

    const recorded = await current([]);
    expect(recorded.output).toMatchObject({ source: 'recorded', problems: [] });
    expect(recorded.output.observed).toEqual(fresh.output.observed);
    expect(recorded.output.facts).toEqual(fresh.output.facts);
    expect(recorded.code).toBe(fresh.code);

    const status = await runCli(['status', '--json'], { env });
    expect((JSON.parse(status.stdout) as StatusOutput).observed).toEqual(fresh.output.observed);
  });

  it('says why when the record cannot be written for another reason than rights, and exits by the observation all the same', async () => {
    mkdirSync(recordPath());
    const fresh = await current(['--refresh']);
    expect(fresh.code).toBe(exitForObservedMode(fresh.output.observed!.mode));
    expect(fresh.output.source).toBe('fresh');
    expect(fresh.output.problems.map((p) => p.file)).toEqual([recordPath()]);
    expect(fresh.output.problems[0]?.reason).toContain('the fresh observation was not recorded: cannot rename into place');
    expect(fresh.stderr).toContain(`mode: the fresh observation was not recorded: cannot rename into place ${recordPath()}`);
  });

  it('says nothing where no controller ever made its runtime folder, and creates none', async () => {
    rmSync(dirs.runtimeDir, { recursive: true });
    const fresh = await current(['--refresh']);
    expect(fresh.stderr).toBe('');
    expect(fresh.output.problems).toEqual([]);
    expect(() => statSync(dirs.runtimeDir)).toThrow();
  });
});

// the absolute path: the command itself runs with only the empty tool folder on PATH
const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
const canSwitchUser = process.getuid?.() === 0 && setpriv !== '';

describe.skipIf(!canSwitchUser)('mode current --refresh by a user who cannot write the records', () => {
  beforeEach(async () => {
    // root's records, readable by all, as the unit leaves them (RuntimeDirectoryMode=0755, records 0644)
    await writeRecords(dirs, { observation: proven('studio-local') });
    for (const dir of [dirs.root, dirs.runtimeDir, join(dirs.root, 'bin')]) chmodSync(dir, 0o755);
  });

  const asNobody = (args: string[]) =>
    spawnSync(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, MODE_TS, 'current', ...args], { env, encoding: 'utf8' });

  it('prints the fresh observation, says nothing about the records, exits by the observation and leaves the record alone', async () => {
    const before = readFileSync(recordPath(), 'utf8');
    const result = asNobody(['--refresh', '--json']);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout) as CurrentOutput;
    expect(schemaErrors('cli-current', output)).toEqual([]);
    expect(output).toMatchObject({ source: 'fresh', problems: [] });
    expect(result.status).toBe(exitForObservedMode(output.observed!.mode));
    expect(readFileSync(recordPath(), 'utf8')).toBe(before);

    const text = asNobody(['--refresh']);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/observed .*, fresh$/m);
    expect(text.status).toBe(result.status);

    // and the recorded view is still root's record
    const recorded = await current([]);
    expect(recorded.output).toMatchObject({ source: 'recorded', observed: { mode: 'studio-local', runId: 'run-obs' } });
    expect(recorded.code).toBe(EXIT.ok);
  });
});
