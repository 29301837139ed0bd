// The wake source of `mode request`'s follower on real folders: a record
// renamed in or the audit log appended to ends a wait at once, other files do not, a change made while no
// one waits ends the next wait at once, a folder that is not there only
// leaves the timer, and close() leaves no handle that would keep the CLI
// from exiting.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { folderWake, type Wake } from '../../cli/request/wake.ts';

const WAKE_TS = fileURLToPath(new URL('../../cli/request/wake.ts', import.meta.url));

describe('folderWake', () => {
  let root: string;
  let wake: Wake | null = null;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dubnium-request-wake-'));
    mkdirSync(join(root, 'run'));
    mkdirSync(join(root, 'state'));
  });
  afterEach(() => {
    wake?.close();
    wake = null;
    rmSync(root, { recursive: true, force: true });
  });

  // what the follower of a request watches (cli/request/index.ts)
  const folders = () => [
    { dir: join(root, 'run'), names: ['last-transition.json'] },
    { dir: join(root, 'state'), names: ['events.jsonl'] },
  ];
  const replaceRecord = (): void => {
    writeFileSync(join(root, 'run', '.last-transition.json.tmp'), '{}');
    renameSync(join(root, 'run', '.last-transition.json.tmp'), join(root, 'run', 'last-transition.json'));
  };

  it('ends a wait soon after a record is renamed into a watched folder, long before its time runs out', async () => {
    wake = folderWake(folders());
    const started = performance.now();
    setTimeout(replaceRecord, 20);
    expect(await wake.wait(5_000)).toBe('changed');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('keeps a change made while nobody waits, so the next wait ends at once', async () => {
    wake = folderWake(folders());
    writeFileSync(join(root, 'state', 'events.jsonl'), '{}\n');
    // let the notice arrive before anyone waits
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    expect(await wake.wait(5_000)).toBe('changed');
    expect(performance.now() - started).toBeLessThan(50);
    // consumed: nothing changed since, so the next wait runs its time
    expect(await wake.wait(30)).toBe('timeout');
  });

  it('is not woken by the other files of those folders: the lock holder note, the intent, a temporary file', async () => {
    wake = folderWake(folders());
    writeFileSync(join(root, 'run', 'lock.holder'), '{}');
    writeFileSync(join(root, 'run', '.desired.json.tmp'), '{}');
    writeFileSync(join(root, 'state', 'intent.json'), '{}');
    expect(await wake.wait(80)).toBe('timeout');
    // and still by the log
    writeFileSync(join(root, 'state', 'events.jsonl'), '{}\n', { flag: 'a' });
    expect(await wake.wait(5_000)).toBe('changed');
  });

  it('runs out after its time when nothing changes, also for a folder that does not exist', async () => {
    wake = folderWake([{ dir: join(root, 'missing', 'run'), names: ['last-transition.json'] }]);
    const started = performance.now();
    expect(await wake.wait(40)).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('ends a pending wait on close, and a closed wake keeps no process alive (the CLI exits as soon as it is done)', async () => {
    wake = folderWake(folders());
    const pending = wake.wait(60_000);
    wake.close();
    expect(await pending).toBe('timeout');
    expect(await wake.wait(60_000)).toBe('timeout');
    // a process that waits a minute on a wake and closes it after 50 ms: its exit, not the minute, ends it
    const script = `const { folderWake } = await import(${JSON.stringify(WAKE_TS)}); const w = folderWake(${JSON.stringify(folders())}); void w.wait(60000); setTimeout(() => w.close(), 50);`;
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
