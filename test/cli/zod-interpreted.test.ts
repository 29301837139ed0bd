// cli/zod-interpreted.ts turns zod's compiled object parsers off by writing
// zod's global config before zod loads: zod must still read it from there.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const PRELOAD = new URL('./support/count-zod-parsers.mjs', import.meta.url).pathname;
const SETTING = new URL('../../cli/zod-interpreted.ts', import.meta.url).href;

function parseOnce(first: string): { jitless: unknown; compiled: number } {
  const script = `${first}
const { z } = await import('zod');
z.object({ mode: z.string(), generation: z.number() }).parse({ mode: 'desktop', generation: 1 });
console.log(JSON.stringify(z.config().jitless ?? null));`;
  const run = spawnSync(process.execPath, ['--import', PRELOAD, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const compiled = /zod parsers compiled: (\d+)/.exec(run.stderr);
  expect(compiled, run.stderr).not.toBeNull();
  return { jitless: JSON.parse(run.stdout) as unknown, compiled: Number(compiled![1]) };
}

describe('zod built interpreted', () => {
  it('zod as published compiles an object parser on its first parse (the count sees it)', () => {
    expect(parseOnce('')).toEqual({ jitless: null, compiled: 1 });
  });

  it('after cli/zod-interpreted.ts, zod reports jitless and compiles none', () => {
    expect(parseOnce(`await import(${JSON.stringify(SETTING)});`)).toEqual({ jitless: true, compiled: 0 });
  });
});
