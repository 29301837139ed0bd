// World files the controller reads inside the sandbox: a real meminfo with
// only the asked lines changed, and ALSA status files in the kernel's layout.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alsaStatusText, memInfoText, writeAlsa } from './world.ts';

const HOST_MEMINFO = readFileSync('/proc/meminfo', 'utf8');
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dubnium-world-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('memInfoText', () => {
  it('changes only MemTotal and MemAvailable of the real file, keeping their columns', () => {
    const text = memInfoText(HOST_MEMINFO, { totalKiB: 65_536_000, availableKiB: 1_024 });
    const before = HOST_MEMINFO.split('\n');
    const after = text.split('\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i]).map((l) => l.split(':')[0])).toEqual(expect.arrayContaining(['MemAvailable']));
    expect(text).toMatch(/^MemAvailable:\s+1024 kB$/m);
    expect(text).toMatch(/^MemTotal:\s+65536000 kB$/m);
    expect(after.find((l) => l.startsWith('MemAvailable:'))?.length).toBe(before.find((l) => l.startsWith('MemAvailable:'))?.length);
  });

  it('drops MemAvailable when asked for a kernel older than 3.14', () => {
    expect(memInfoText(HOST_MEMINFO, { availableKiB: null })).not.toMatch(/^MemAvailable:/m);
  });
});

describe('ALSA status files', () => {
  it('writes "closed" for an idle substream and the kernel layout for an open one', () => {
    expect(alsaStatusText({ card: 0, device: 0, state: 'closed' })).toBe('closed\n');
    const running = alsaStatusText({ card: 0, device: 0, state: 'RUNNING', ownerPid: 4321 }).split('\n');
    expect(running.slice(0, 2)).toEqual(['state: RUNNING', 'owner_pid   : 4321']);
    expect(running).toContain('-----');
  });

  it('replaces the whole asound tree at once', () => {
    const proc = scratch();
    writeAlsa(proc, [{ card: 0, device: 0, state: 'RUNNING', ownerPid: 7 }, { card: 1, device: 3, direction: 'c', state: 'closed' }]);
    expect(readFileSync(join(proc, 'asound', 'card0', 'pcm0p', 'sub0', 'status'), 'utf8')).toMatch(/^state: RUNNING/);
    expect(readFileSync(join(proc, 'asound', 'card1', 'pcm3c', 'sub0', 'status'), 'utf8')).toBe('closed\n');
    writeAlsa(proc, [{ card: 0, device: 0, state: 'closed' }]);
    expect(readdirSync(join(proc, 'asound')).sort()).toEqual(['card0', 'cards']);
    expect(readdirSync(proc)).toEqual(['asound']);
  });
});
