// Atomic JSON files and their tolerant readers, in-process. The crash half
// (SIGKILL mid-write) is in crash.test.ts.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeFileAtomic, writeJsonAtomic } from '../../effects/records/atomic-write.ts';
import { readJsonFile } from '../../effects/records/read-json.ts';
import { readRuntimeRecord, writeRuntimeRecord } from '../../effects/records/runtime-files.ts';
import { sweepTempFiles } from '../../effects/records/temp-sweep.ts';
import { guardReport, observation, transitionRecord } from './support/sample-records.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

const Point = z.strictObject({ x: z.int(), y: z.int() });

describe('writeJsonAtomic + readJsonFile', () => {
  it('round-trips a value, leaves no temp file and sets the mode exactly, whatever the umask', async () => {
    const path = join(dirs.runtimeDir, 'p.json');
    const previous = process.umask(0o077);
    try {
      expect(await writeJsonAtomic(path, { x: 1, y: 2 }, 0o644)).toEqual({ ok: true });
    } finally {
      process.umask(previous);
    }
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(await readJsonFile(path, Point)).toEqual({ status: 'ok', value: { x: 1, y: 2 } });
    expect(readdirSync(dirs.runtimeDir)).toEqual(['p.json']);
  });

  it('replaces the old content as a whole', async () => {
    const path = join(dirs.runtimeDir, 'p.json');
    await writeJsonAtomic(path, { x: 1, y: 1 }, 0o600);
    await writeJsonAtomic(path, { x: 2, y: 2 }, 0o600);
    expect(await readJsonFile(path, Point)).toEqual({ status: 'ok', value: { x: 2, y: 2 } });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['missing', null, 'missing', /does not exist/],
    ['unparseable', '{"x": 1, "y":', 'unparseable', /not valid JSON/],
    ['truncated to nothing', '', 'unparseable', /not valid JSON/],
    ['schema-invalid', '{"x": 1, "y": "two"}', 'schema-invalid', /y/],
    ['an unknown key (future version)', '{"x": 1, "y": 2, "z": 3}', 'schema-invalid', /z/],
    ['a __proto__ key', '{"x": 1, "y": 2, "__proto__": {"polluted": true}}', 'schema-invalid', /__proto__/],
  ])('reports %s as unreadable without throwing', async (_name, content, code, reason) => {
    const path = join(dirs.runtimeDir, 'p.json');
    if (content !== null) writeFileSync(path, content);
    const result = await readJsonFile(path, Point);
    expect(result).toMatchObject({ status: 'unreadable', code });
    if (result.status === 'unreadable') expect(result.reason).toMatch(reason);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a file larger than the cap before reading it', async () => {
    const path = join(dirs.runtimeDir, 'big.json');
    writeFileSync(path, `[${'1,'.repeat(1000)}1]`);
    expect(await readJsonFile(path, z.array(z.int()), 1000)).toMatchObject({ status: 'unreadable', code: 'too-large' });
  });

  it('reports a folder that cannot be read as an io-error', async () => {
    const path = join(dirs.runtimeDir, 'is-a-dir');
    mkdirSync(path);
    expect(await readJsonFile(path, Point)).toMatchObject({ status: 'unreadable', code: 'io-error' });
  });

  it('returns a typed failure for a missing folder and leaves nothing behind', async () => {
    const result = await writeFileAtomic(join(dirs.root, 'absent', 'p.json'), '{}', 0o644);
    expect(result).toMatchObject({ ok: false, failure: { code: 'missing-directory' } });
    if (!result.ok) expect(result.failure.message).toMatch(/absent\/p\.json\.tmp-\d+-[0-9a-f]+: the folder does not exist/);
  });
});

describe('runtime records', () => {
  it('write and read back every runtime record kind', async () => {
    const written = [
      await writeRuntimeRecord(dirs.runtimeDir, 'lastTransition', transitionRecord(3)),
      await writeRuntimeRecord(dirs.runtimeDir, 'lastGuards', guardReport(3)),
      await writeRuntimeRecord(dirs.runtimeDir, 'lastObservation', observation(3)),
      await writeRuntimeRecord(dirs.runtimeDir, 'capabilityPlacement', {
        schemaVersion: 1,
        writtenAt: '2025-01-01T00:00:00.000Z',
        configPath: '/etc/dubnium/config.json',
        placement: { studio: 'local' },
      }),
      await writeRuntimeRecord(dirs.runtimeDir, 'hardwareTopology', {
        schemaVersion: 1,
        writtenAt: '2025-01-01T00:00:00.000Z',
        gpus: { status: 'unknown', code: 'tool-missing', reason: 'nvidia-smi not found', source: { kind: 'command', argv: ['nvidia-smi'], exitCode: null }, readAt: '2025-01-01T00:00:00.000Z' },
      }),
    ];
    expect(written.every((result) => result.ok)).toBe(true);
    expect(await readRuntimeRecord(dirs.runtimeDir, 'lastTransition')).toEqual({ status: 'ok', value: transitionRecord(3) });
    expect((await readRuntimeRecord(dirs.runtimeDir, 'hardwareTopology')).status).toBe('ok');
    expect(readdirSync(dirs.runtimeDir).sort()).toEqual(
      ['capability-placement.json', 'hardware-topology.json', 'last-guards.json', 'last-observation.json', 'last-transition.json'],
    );
    for (const name of readdirSync(dirs.runtimeDir)) expect(statSync(join(dirs.runtimeDir, name)).mode & 0o777).toBe(0o644);
  });

  it('treats a record from a future schema version as unreadable (state unknown, re-observed)', async () => {
    writeFileSync(
      join(dirs.runtimeDir, 'desired.json'),
      JSON.stringify({ schemaVersion: 2, mode: 'compute', generation: 3, requestedAt: '2025-01-01T00:00:00.000Z', requestedBy: null }),
    );
    const result = await readRuntimeRecord(dirs.runtimeDir, 'desired');
    expect(result).toMatchObject({ status: 'unreadable', code: 'schema-invalid' });
    if (result.status === 'unreadable') expect(result.reason).toMatch(/schemaVersion/);
  });

  it('refuses to write a record its readers would reject', async () => {
    const bad = { ...guardReport(1), verdict: 'maybe' } as unknown as ReturnType<typeof guardReport>;
    const result = await writeRuntimeRecord(dirs.runtimeDir, 'lastGuards', bad);
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-record' } });
    if (!result.ok) expect(result.failure.message).toMatch(/verdict/);
    expect(readdirSync(dirs.runtimeDir)).toEqual([]);
  });
});

describe('sweepTempFiles', () => {
  it('removes only the temp files of targets the caller owns', async () => {
    for (const name of ['a.json.tmp-12-0a1b', 'desired.json.tmp-9-ff', 'a.json', 'notes.tmp-x', 'b.json.tmp-3-00']) {
      writeFileSync(join(dirs.runtimeDir, name), '{');
    }
    const result = await sweepTempFiles(dirs.runtimeDir, (target) => target !== 'desired.json');
    expect(result.removed.sort()).toEqual(['a.json.tmp-12-0a1b', 'b.json.tmp-3-00']);
    expect(result.failures).toEqual([]);
    expect(readdirSync(dirs.runtimeDir).sort()).toEqual(['a.json', 'desired.json.tmp-9-ff', 'notes.tmp-x']);
  });

  it('reports a missing folder instead of throwing', async () => {
    const result = await sweepTempFiles(join(dirs.root, 'absent'), () => true);
    expect(result.failures).toMatchObject([{ code: 'missing-directory' }]);
  });
});
