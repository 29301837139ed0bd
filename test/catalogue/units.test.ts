// Catalogue rows answered by the unit files themselves (level U): no unit is
// ordered after the controller (row 10), the isolate directives (row 11), the
// stop behaviour SIGTERM relies on (row 19), the environment tools run with
// (row 28), and the narrowest modes systemd creates the folders with (item 5
// of issue 7). The offline security score is test/units/security.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startControllerUnit } from '../../cli/request/start-unit.ts';
import { DEFAULT_INTERRUPT_GRACE_MS } from '../../machines/run-controller.ts';
import { workstationConfig as config } from '../engine/support/config.ts';
import { fakeTools } from '../observe/fake-tools.ts';
import { readUnitFile } from '../units/unit-file.ts';

const UNITS = join(import.meta.dirname, '..', '..', 'units');
const settings = (name: string) =>
  readUnitFile(readFileSync(join(UNITS, name), 'utf8')).flatMap((l) => (l.kind === 'setting' ? [{ section: l.section, key: l.key, value: l.value }] : []));
const value = (name: string, key: string): string[] => settings(name).filter((s) => s.key === key).map((s) => s.value);
const seconds = (span: string): number => {
  const m = /^(\d+)(s|min)?$/.exec(span);
  if (!m) throw new Error(`unexpected time span ${span}`);
  return Number(m[1]) * (m[2] === 'min' ? 60 : 1);
};

describe('row 10: ordering deadlocks', () => {
  it('no shipped unit is ordered after (or wants) the controller, so a synchronous start from inside it cannot wait on it', () => {
    for (const name of readdirSync(UNITS).filter((n) => n !== 'mode-controller@.service' && n !== 'mode-boot.service')) {
      for (const key of ['After', 'Requires', 'Wants', 'BindsTo', 'Requisite', 'PartOf']) {
        for (const v of value(name, key)) expect(v, `${name} ${key}=${v}`).not.toMatch(/mode-controller@/);
      }
    }
  });

  it('requests start the controller with --no-block (the requester never waits on a job it cannot see through)', async () => {
    const tools = fakeTools();
    try {
      tools.echoes('systemctl');
      const result = await startControllerUnit('compute', config, { PATH: tools.dir });
      expect(result.kind === 'ok' && result.stdout.split('\n').filter((l) => l.startsWith('arg=')).map((l) => l.slice(4))).toEqual(['start', '--no-block', '--', 'mode-controller@compute.service']);
    } finally {
      tools.cleanup();
    }
  });
});

describe('row 11: isolate directives', () => {
  it('both mode targets allow isolate, and the controller ignores isolate (its own isolate would stop it)', () => {
    expect(value('desktop.target', 'AllowIsolate')).toEqual(['yes']);
    expect(value('compute.target', 'AllowIsolate')).toEqual(['yes']);
    expect(value('mode-controller@.service', 'IgnoreOnIsolate')).toEqual(['yes']);
  });
});

describe('row 19: SIGTERM mid-transition', () => {
  it('KillMode=mixed sends SIGTERM to node only, and TimeoutStopSec leaves room for the grace of an operation in flight plus the record', () => {
    expect(value('mode-controller@.service', 'KillMode')).toEqual(['mixed']);
    const stop = seconds(value('mode-controller@.service', 'TimeoutStopSec')[0]!);
    expect(stop * 1000).toBeGreaterThan(DEFAULT_INTERRUPT_GRACE_MS + config.thresholds.stepTimeoutsMs.observe);
    // node must be the main process (no flock(1) or shell in front of it), or SIGTERM would not reach it
    expect(value('mode-controller@.service', 'ExecStart')[0]).toMatch(/^\/usr\/lib\/dubnium\/bin\/node /);
  });
});

describe('item 5: runtime folders with the narrowest modes that work', () => {
  it('systemd creates /run/mode-controller 0755 (status readers), /var/lib/mode-controller 0750, and keeps /run across runs', () => {
    expect(value('mode-controller@.service', 'RuntimeDirectoryMode')).toEqual(['0755']);
    expect(value('mode-controller@.service', 'StateDirectoryMode')).toEqual(['0750']);
    expect(value('mode-controller@.service', 'RuntimeDirectoryPreserve')).toEqual(['yes']);
    expect(value('mode-controller@.service', 'UMask')).toEqual(['0022']);
    // the files inside get their own modes by fchmod (lock 0600, intent and audit 0640, records 0644): test/records
  });
});
