import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearIntent, intentPath, readIntent, writeIntent } from '../../effects/records/intent.ts';
import { intent } from './support/sample-records.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

describe('intent journal', () => {
  it('is absent until written, follows each step, and is gone once cleared', async () => {
    expect(await readIntent(dirs.stateDir)).toEqual({ status: 'none' });
    expect(await writeIntent(dirs.stateDir, intent(4, 'start'))).toEqual({ ok: true });
    expect(await writeIntent(dirs.stateDir, intent(4, 'stop-display-manager'))).toEqual({ ok: true });
    expect(await readIntent(dirs.stateDir)).toEqual({ status: 'ok', intent: intent(4, 'stop-display-manager') });
    expect(statSync(intentPath(dirs.stateDir)).mode & 0o777).toBe(0o640);
    expect(await clearIntent(dirs.stateDir)).toEqual({ ok: true });
    expect(await readIntent(dirs.stateDir)).toEqual({ status: 'none' });
    expect(await clearIntent(dirs.stateDir)).toEqual({ ok: true });
    expect(readdirSync(dirs.stateDir)).toEqual([]);
  });

  it('reports a damaged journal as unreadable rather than as "no intent"', async () => {
    writeFileSync(intentPath(dirs.stateDir), '{"schemaVersion":1,"runId":');
    expect(await readIntent(dirs.stateDir)).toMatchObject({ status: 'unreadable', code: 'unparseable' });
  });

  it('refuses to journal an invalid intent', async () => {
    const result = await writeIntent(dirs.stateDir, { ...intent(1), target: 'gamer' } as unknown as ReturnType<typeof intent>);
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-record' } });
    expect(readdirSync(dirs.stateDir)).toEqual([]);
  });

  it('returns a typed failure when the state folder is gone', async () => {
    const result = await writeIntent(join(dirs.root, 'absent'), intent(1));
    expect(result).toMatchObject({ ok: false, failure: { code: 'missing-directory' } });
  });
});
