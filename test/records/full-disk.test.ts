// A real full file system (a 64 KiB tmpfs in a private mount namespace made by
// bubblewrap), not an injected error: ENOSPC on the audit log and on a state file.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeScript, runToEnd } from './support/child.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

interface FullDiskReport {
  completed: number;
  failure: { code: string; message: string } | null;
  sizeBefore: number;
  sizeAfterFailure: number;
  stateWrite: { ok: boolean; failure?: { code: string } };
  tempsAfterStateWrite: string[];
  beforeFree: { events: number; skipped: number };
  afterFree: { ok: boolean; seq?: number };
  finalLog: { seqs: number[]; skipped: number; lastRunId: string | null };
}

describe('a full disk under the audit log', () => {
  it('fails the append with a typed error, truncates the partial record, and the next append after freeing space is clean', async () => {
    const small = join(dirs.root, 'small');
    mkdirSync(small);
    const result = await runToEnd(nodeScript('full-disk.ts', small), {
      prefix: ['bwrap', '--dev-bind', '/', '/', '--size', '65536', '--tmpfs', small, '--die-with-parent', '--'],
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as FullDiskReport;
    expect(report.completed).toBeGreaterThan(5);
    expect(['no-space', 'short-write']).toContain(report.failure?.code);
    expect(report.failure?.message).toMatch(/full|ENOSPC/);
    // the failed append left the file exactly as it was
    expect(report.sizeAfterFailure).toBe(report.sizeBefore);
    expect(report.beforeFree).toEqual({ events: report.completed, skipped: 0 });
    // a state file write on the full disk fails typed and leaves no temp file
    expect(report.stateWrite).toMatchObject({ ok: false, failure: { code: 'no-space' } });
    expect(report.tempsAfterStateWrite).toEqual([]);
    // after space is freed: no corrupt line in the middle, seq continues
    expect(report.afterFree).toEqual({ ok: true, seq: report.completed });
    expect(report.finalLog).toEqual({ seqs: Array.from({ length: report.completed + 1 }, (_, n) => n), skipped: 0, lastRunId: 'after' });
  });
});
