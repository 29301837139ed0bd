// `mode status` checks the config through a precompiled validator of the
// config's shape instead of zod. It must never refuse a config the controller
// accepts, and must refuse every config whose shape the controller refuses;
// only zod's refinements (a slice name ending in .slice, ...) are left to it.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigShape } from '../../cli/config/check-shape.ts';
import { configShape } from '../../cli/config/config-shape.generated.js';
import { CliError } from '../../cli/errors.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { Config } from '../../schemas/config.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'dubnium-config-shape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value, the root included. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return here;
}

function edit(value: Json, path: (string | number)[], change: (old: Json) => Json | undefined): Json | undefined {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  const copy: Json = Array.isArray(value) ? [...value] : { ...(value as Record<string, Json>) };
  const next = edit((copy as Record<string | number, Json>)[head!]!, rest, change);
  if (next === undefined) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete (copy as Record<string, Json>)[head as string];
  } else (copy as Record<string | number, Json>)[head!] = next;
  return copy;
}

const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 70_000 }), fc.string({ maxLength: 8 }), fc.constant('x.slice'), fc.constant<Json>([]), fc.constant<Json>({}));

describe('the config shape validator of mode status', () => {
  it('accepts the example config, as zod does', () => {
    expect(Config.safeParse(example).success).toBe(true);
    expect(configShape(example)).toBe(true);
  });

  it('never refuses what zod accepts, and refuses what zod refuses except for refinements', () => {
    const all = paths(example as Json);
    fc.assert(
      fc.property(fc.constantFrom(...all), replacement, (path, value) => {
        const changed = edit(example as Json, path, () => value);
        const zod = Config.safeParse(changed);
        const shape = configShape(changed);
        if (zod.success) expect(shape).toBe(true);
        // zod refused: the shape refuses too, unless every issue is a refinement (code custom)
        else if (zod.error.issues.some((issue) => issue.code !== 'custom')) expect(shape).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('names the file, the path and the problem, with the config exit status', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...example, thresholds: { ...(example.thresholds as object), pollIntervalMs: 'soon' } }));
    const error = await checkConfigShape(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exit).toBe(EXIT.config);
    expect((error as CliError).message).toBe(`${file}: does not match the config schema at thresholds.pollIntervalMs: must be integer`);
  });

  it('says a missing file and a file that is not JSON apart', async () => {
    await expect(checkConfigShape(join(dir, 'absent.json'))).rejects.toThrow('does not exist');
    const text = join(dir, 'text.json');
    writeFileSync(text, 'schemaVersion = 1\n');
    await expect(checkConfigShape(text)).rejects.toThrow(/text\.json: .*JSON/);
  });
});
