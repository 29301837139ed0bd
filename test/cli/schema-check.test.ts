// The fast check of the read-only verbs (cli/record-views/schema-check.ts)
// must never accept what ajv's validator of the same JSON Schema rejects, and
// should accept what it accepts (else every status falls back to ajv): the
// two are compared on real and synthetic records and on random damage to them.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configShape } from '../../cli/config/config-shape.generated.js';
import { schemas as configSchemas } from '../../cli/config/config-shape-schema.generated.js';
import { conforms } from '../../cli/record-views/schema-check.ts';
import * as validators from '../../cli/record-views/validators.generated.js';
import { schemas } from '../../cli/record-views/view-schemas.generated.js';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { at, degradedFromCompute, proven, transition, writeRecords } from './support/records.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Check = (value: unknown) => boolean;

let dirs: CliDirs;
const samples: Record<string, Json[]> = {};
const json = (file: string | URL): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

beforeAll(async () => {
  dirs = cliDirs();
  await writeRecords(dirs, { desired: ['desktop', 'compute'], transition: transition('compute', 2, 'blocked', degradedFromCompute), observation: proven('desktop') });
  const run = (name: string) => json(`${dirs.runtimeDir}/${name}`);
  const source = { kind: 'command', argv: ['nvidia-smi'], exitCode: 0 };
  samples.desired = [run('desired.json')];
  samples.transition = [
    run('last-transition.json'),
    json(new URL('../bench/fixtures/last-transition.studio-local.json', import.meta.url)),
    json(new URL('../bench/fixtures/last-transition.desktop-from-studio.json', import.meta.url)),
  ];
  samples.observation = [run('last-observation.json')];
  samples.intent = [{ schemaVersion: 1, runId: 'run-3', target: 'compute', generation: 3, step: 'stop-display-manager', startedAt: at(3), bootId: 'b1', pid: 4243 }];
  samples.lockHolder = [{ schemaVersion: 1, pid: 4242, runId: 'run-1', bootId: null, startedAt: at(5) }];
  samples.capabilityPlacement = [{ schemaVersion: 1, writtenAt: at(7), configPath: '/etc/dubnium/config.json', placement: { studio: 'local' } }];
  samples.hardwareTopology = [
    { schemaVersion: 1, writtenAt: at(9), gpus: { status: 'known', value: [{ index: 0, busId: '00000000:01:00.0', name: 'NVIDIA RTX A6000', uuid: 'GPU-1', memoryTotalMiB: 49140 }], source, readAt: at(9) } },
    { schemaVersion: 1, writtenAt: at(9), gpus: { status: 'unknown', code: 'tool-missing', reason: 'nvidia-smi is not on PATH', source, readAt: at(9) } },
  ];
  samples.auditEvent = readFileSync(`${dirs.stateDir}/events.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Json);
  samples.configShape = [json(new URL('../../examples/workstation.config.json', import.meta.url))];
});
afterAll(() => dirs.cleanup());

const views: [string, Check, Check][] = [
  ...Object.entries(validators).map(([name, validate]): [string, Check, Check] => [name, (v) => validate(v), (v) => conforms(schemas[name as keyof typeof schemas], v)]),
  ['configShape', (v) => configShape(v), (v) => conforms(configSchemas.configShape, v)],
];

/** Every path into a JSON value, the value itself first. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

type Damage = { kind: 'replace'; with: Json } | { kind: 'delete' } | { kind: 'add'; key: string; with: Json };

function damaged(value: Json, path: (string | number)[], damage: Damage): Json {
  const copy = structuredClone(value);
  if (path.length === 0) return damage.kind === 'replace' ? damage.with : copy;
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, copy) as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (damage.kind === 'replace') parent[last] = damage.with;
  else if (damage.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    // an own property, as JSON.parse makes one, even of "__proto__"
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, damage.key, { value: damage.with, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), with: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
  fc.record({ kind: fc.constant('replace' as const), with: fc.constantFrom<Json>(null, '', 'x', 0, -1, 1.5, 2 ** 53, true, [], {}, 'desktop', 'known', 'unknown', at(1)) }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('extra', 'status', 'value', '__proto__', 'schemaVersion'), with: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json> }),
);

describe('the fast check agrees with ajv', () => {
  it.each(views)('%s: accepts every sample ajv accepts', (name, ajv, fast) => {
    const list = samples[name] ?? [];
    expect(list.length, `samples of ${name}`).toBeGreaterThan(0);
    for (const sample of list) {
      expect(ajv(sample), `${name} sample valid for ajv`).toBe(true);
      expect(fast(sample)).toBe(true);
    }
  });

  it.each(views)('%s: says the same as ajv of every damaged sample', (name, ajv, fast) => {
    const list = samples[name]!;
    const cases = fc.integer({ min: 0, max: list.length - 1 }).chain((i) => {
      const sample = list[i]!;
      const all = paths(sample);
      return fc.tuple(fc.constant(sample), fc.constantFrom(...all), damage);
    });
    fc.assert(
      fc.property(cases, ([sample, path, how]) => {
        const value = damaged(sample, path, how);
        expect(fast(value), JSON.stringify({ path, how })).toBe(ajv(value));
      }),
      { numRuns: 400 },
    );
  });

  it('says no to a keyword it does not know, and to a $ref it cannot follow', () => {
    expect(conforms({ type: 'string', contentSchema: {} }, 'x')).toBe(false);
    expect(conforms({ $ref: 'https://example.com/s.json' }, 'x')).toBe(false);
    expect(conforms({ $ref: '#/$defs/missing', $defs: {} }, 'x')).toBe(false);
    expect(conforms({ type: 'string', description: 'a name', format: 'date-time' }, 'not a date')).toBe(true);
  });
});
