// Properties of nix/lib over random option values (many sets per
// nix-instantiate call): the assertions that fire are exactly the plan's rules
// read literally, and whenever none fires, the generated config is one the
// controller's zod schema accepts and it carries the option values unchanged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Config } from '../../schemas/config.ts';
import { MODES } from '../../schemas/modes.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { evalJson, NIX_MISSING_HINT } from './nix-instantiate.ts';

// Small indices most of the time, so that "present" and "absent" both happen.
const gpu = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 63 }) });
const gpus = (maxLength: number) => fc.array(gpu, { maxLength });
const millis = fc.integer({ min: 1, max: 24 * 3600 * 1000 });
const mebibytes = fc.integer({ min: 0, max: 2 ** 30 });

// Values as the option types admit them (nix/module.nix).
const dubnium = fc.record({
  hardware: fc.record({
    presentGpus: gpus(4),
    displayGpu: gpu,
    computeGpus: gpus(4),
    plannedGpuCount: fc.integer({ min: 0, max: 64 }),
    desktopAiGpus: gpus(2),
  }),
  capabilityPlacement: fc.record({ studio: fc.constantFrom('local', 'remote', 'disabled') }),
  vllm: fc.record({
    enable: fc.boolean(),
    package: fc.option(fc.constant('stand-in for pkgs.vllm'), { nil: null }),
    model: fc.option(fc.oneof(fc.constant('Qwen/Qwen2.5-Coder-14B-Instruct'), fc.string({ maxLength: 600 })), { nil: null }),
    extraArgs: fc.oneof(
      { weight: 9, arbitrary: fc.array(fc.string({ maxLength: 30 }), { maxLength: 8 }) },
      { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 250, maxLength: 260 }) },
    ),
    port: fc.integer({ min: 1, max: 65_535 }),
    modelStore: fc.oneof(
      fc.constantFrom('/var/lib/dubnium/models', '/srv/models', '/', '/nix/store/abc-models', '/nix/storage', 'models', '/a/../b', '/a/..', '/a/...'),
      fc.string({ maxLength: 40 }).map((tail) => `/${tail}`),
      fc.string({ maxLength: 10 }),
    ),
  }),
  k3s: fc.record({ enable: fc.boolean() }),
  metrics: fc.record({
    enable: fc.boolean(),
    textfileDir: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('/var/lib/prometheus-node-exporter/text', '/var/lib/prometheus/node-exporter', '/srv/metrics') },
      { weight: 1, arbitrary: fc.constantFrom('/', '/nix/store/abc-text', 'text', '/a/../b', '/a/b c', '/a\\b', '/a/...') },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((tail) => `/${tail}`) },
    ),
  }),
  // any value nix/slurm.nix's option types admit (its strMatching patterns and
  // int ranges), so the schema must accept each as config.json carries it
  slurm: fc.record({
    enable: fc.boolean(),
    nodeName: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/), { nil: null }),
    computeFeature: fc.option(fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/), { nil: null }),
    drainWaitSeconds: fc.integer({ min: 0, max: 1200 }),
    commandTimeoutSeconds: fc.integer({ min: 1, max: 120 }),
    ipAddressAllow: fc.constantFrom(['any'], ['10.0.0.1', 'localhost']),
  }),
  boot: fc.record({ defaultMode: fc.constantFrom(...MODES) }),
  enableDesktopProfile: fc.boolean(),
  // the module's types bound them as the schema does (0..3600, unsigned, the enum)
  notice: fc.record({ graceSeconds: fc.integer({ min: 0, max: 3600 }), idleAfterSeconds: fc.nat(), ifUnwarned: fc.constantFrom('wait', 'proceed') }),
  thresholds: fc.record({
    memoryHeadroomMiB: mebibytes,
    gpuResidualMiB: mebibytes,
    minModelStoreFreeMiB: mebibytes,
    pollIntervalMs: millis,
    stepTimeoutsMs: fc.record({
      observe: millis,
      start: millis,
      stop: millis,
      isolate: millis,
      setProperty: millis,
      terminateSession: millis,
      gpuRelease: millis,
      vllmReady: millis,
    }),
  }),
});
type Dubnium = typeof dubnium extends fc.Arbitrary<infer T> ? T : never;

// Values a careful operator would write: the facts agree with each other.
const consistentHardware = fc
  .uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 })
  .chain((presentGpus) =>
    fc.record({
      presentGpus: fc.constant(presentGpus),
      displayGpu: fc.constantFrom(...presentGpus),
      computeGpus: fc.subarray(presentGpus, { minLength: 1 }),
      plannedGpuCount: fc.integer({ min: presentGpus.length, max: 64 }),
      desktopAiGpus: fc.subarray(presentGpus),
    }),
  );
const consistent = fc
  .tuple(dubnium, consistentHardware, fc.string({ minLength: 1, maxLength: 512 }), fc.constantFrom('/var/lib/dubnium/models', '/srv/ai/models', '/data/m...s'))
  .map(([values, hardware, model, modelStore]): Dubnium => ({
    ...values,
    hardware,
    vllm: { ...values.vllm, package: 'stand-in for pkgs.vllm', model, modelStore, extraArgs: values.vllm.extraArgs.slice(0, 256) },
    enableDesktopProfile: values.enableDesktopProfile && hardware.desktopAiGpus.length > 0,
  }));

const hostCase = fc.record({
  hostName: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
  dubnium: fc.oneof(dubnium, consistent),
});
type HostCase = typeof hostCase extends fc.Arbitrary<infer T> ? T : never;

/** The plan's module assertions (and their implied exit criteria), by the option each message starts with. */
/** A folder nix/lib takes: absolute, outside the store, no `..`, no whitespace or backslash (a tmpfiles.d field). */
const fieldSafeFolder = (path: string): boolean => path.startsWith('/') && !path.startsWith('/nix/store') && !path.split('/').includes('..') && !/[\s\\]/.test(path);

/** What config.json carries of dubnium.slurm: all but the units' addresses. */
function slurmOfConfig({ ipAddressAllow: _units, ...carried }: Dubnium['slurm']): Omit<Dubnium['slurm'], 'ipAddressAllow'> {
  return carried;
}

function expectedFailures({ hardware, vllm, metrics, enableDesktopProfile }: Dubnium): string[] {
  const present = (g: number) => hardware.presentGpus.includes(g);
  const rules: [string, boolean][] = [
    ['dubnium.hardware.displayGpu', present(hardware.displayGpu)],
    ['dubnium.hardware.desktopAiGpus', hardware.desktopAiGpus.every(present)],
    ['dubnium.hardware.computeGpus', hardware.computeGpus.length > 0],
    ['dubnium.hardware.computeGpus', hardware.computeGpus.every(present)],
    ['dubnium.hardware.plannedGpuCount', hardware.plannedGpuCount >= hardware.presentGpus.length],
    ['dubnium.vllm.package', !vllm.enable || vllm.package !== null],
    ['dubnium.vllm.model', !vllm.enable || vllm.model !== null],
    ['dubnium.vllm.model', vllm.model === null || (vllm.model.length >= 1 && vllm.model.length <= 512)],
    ['dubnium.vllm.extraArgs', vllm.extraArgs.length <= 256 && vllm.extraArgs.every((a) => a.length <= 4096)],
    [
      'dubnium.vllm.modelStore',
      vllm.modelStore.startsWith('/') &&
        !vllm.modelStore.startsWith('/nix/store') &&
        !vllm.modelStore.split('/').includes('..') &&
        !/[\s\\]/.test(vllm.modelStore),
    ],
    ['dubnium.metrics.textfileDir', fieldSafeFolder(metrics.textfileDir)],
    ['dubnium.enableDesktopProfile', !enableDesktopProfile || hardware.desktopAiGpus.length > 0],
  ];
  return rules.filter(([, holds]) => !holds).map(([option]) => option);
}

interface Evaluated {
  failed: string[];
  config: unknown;
}

const missing = toolPrerequisites(['nix-instantiate']).map((problem) => `${problem}: ${NIX_MISSING_HINT}`);

describeWhen(missing, 'nix/lib over random option values', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dubnium-nix-cases-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function evaluate(cases: HostCase[]): Promise<Evaluated[]> {
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(cases));
    return (await evalJson('nix/tests/evaluate-cases.nix', ['--argstr', 'cases', file])) as Evaluated[];
  }

  it('fires exactly the assertions the plan states, and only accepted configs pass them all', async () => {
    let passedAll = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostCase, { minLength: 40, maxLength: 40 }), async (cases) => {
        const results = await evaluate(cases);
        cases.forEach((c, i) => {
          const { failed, config } = results[i]!;
          const which = `case ${JSON.stringify(c)}`;
          expect(failed.map((m) => m.slice(0, m.indexOf(':'))).sort(), which).toEqual(expectedFailures(c.dubnium).sort());
          if (failed.length > 0) return;
          passedAll += 1;
          const parsed = Config.safeParse(config);
          expect(parsed.success ? [] : parsed.error.issues, which).toEqual([]);
          expect(config, which).toMatchObject({
            hostname: c.hostName,
            hardware: c.dubnium.hardware,
            capabilityPlacement: c.dubnium.capabilityPlacement,
            vllm: { enable: c.dubnium.vllm.enable, model: c.dubnium.vllm.model, extraArgs: c.dubnium.vllm.extraArgs, port: c.dubnium.vllm.port, modelStore: c.dubnium.vllm.modelStore },
            k3s: c.dubnium.k3s,
            boot: c.dubnium.boot,
            thresholds: c.dubnium.thresholds,
            notice: c.dubnium.notice,
            metrics: c.dubnium.metrics,
            slurm: slurmOfConfig(c.dubnium.slurm),
            persistencePaths: [c.dubnium.vllm.modelStore],
          });
        });
      }),
      // Each run is one nix-instantiate call over 40 cases; shrinking would
      // re-run Nix hundreds of times, and the failing case is named anyway.
      { numRuns: 6, endOnFailure: true },
    );
    // Otherwise the schema half of the property never ran.
    expect(passedAll).toBeGreaterThan(10);
  });
});
