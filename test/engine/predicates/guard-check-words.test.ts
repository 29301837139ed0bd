// The guard checks on facts that fail them, in each way they can fail: the
// exact reason (code, message, path) and the facts cited, as `mode guards`
// and a blocked switch's record show them. A change of wording is one
// operators read; the snapshot makes it a reviewed one.
import { describe, expect, it } from 'vitest';
import { audioIdle, gpusVisible, memoryHeadroom, persistencePaths, sessionsTerminable, unitsIsolatedByPlan, unitsLoadable, unitsTouchedByPlan } from '../../../predicates/guard-checks.ts';
import { decide } from '../../../predicates/decide.ts';
import type { Facts } from '../../../schemas/facts.ts';
import { checkWords } from '../support/check-words.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unit, unknown, userSession } from '../support/facts.ts';

const desktop = factsFor('desktop', config);
const withFacts = (patch: Partial<Facts>): Facts => ({ ...desktop, ...patch });
const substream = { path: '/proc/asound/card0/pcm0p/sub0', card: 0, device: 0, subdevice: 0, state: 'RUNNING', running: true, ownerPid: 4242 };

describe('audio-active', () => {
  it('names each running substream, playing stream and watched process, and cites the rest', () => {
    const facts = withFacts({
      alsa: known([substream, { ...substream, path: '/proc/asound/card1/pcm3p/sub0', state: null, ownerPid: null }]),
      audioStreams: known([
        { id: '51', application: 'Firefox', pid: 3001, uid: 1000, corked: false, running: true },
        { id: '52', application: null, pid: null, uid: null, corked: null, running: true },
        { id: '53', application: 'mpv', pid: 3003, uid: 1000, corked: true, running: true },
        { id: '54', application: 'paused', pid: 3004, uid: null, corked: false, running: false },
      ]),
      audioProcesses: known([{ pid: 5000, name: 'reaper' }, { pid: 5001, name: 'bash' }]),
    });
    expect(checkWords(audioIdle(facts, config))).toMatchSnapshot();
  });
  it('quiet: what was read; nothing to watch when no process is configured', () => {
    const none = withConfig((c) => {
      c.audio.processes = [];
    });
    expect(checkWords(audioIdle(desktop, none))).toMatchSnapshot();
  });
  it('every source unknown: each named', () => {
    expect(checkWords(audioIdle(withFacts({ alsa: unknown('alsa'), audioStreams: unknown('pactl'), audioProcesses: unknown('proc') }), config))).toMatchSnapshot();
  });
});

describe('session-not-terminable', () => {
  it('a remote session and one of an unknown user, each with why', () => {
    const facts = withFacts({ sessions: known([userSession('2', { remote: true }), userSession('5', { user: null, seat: 'seat1' })]) });
    expect(checkWords(sessionsTerminable(facts))).toMatchSnapshot();
  });
  it('terminable: the sessions compute ends; unknown: fails closed', () => {
    expect(checkWords(sessionsTerminable(desktop))).toMatchSnapshot();
    expect(checkWords(sessionsTerminable(withFacts({ sessions: unknown('loginctl') })))).toMatchSnapshot();
  });
});

describe('memory-headroom', () => {
  const mem = (memAvailableKiB: number | null, memTotalKiB: number | null = 64 * 1024 * 1024) => withFacts({ memory: known({ memAvailableKiB, memTotalKiB }) });
  const needed = config.thresholds.memoryHeadroomMiB * 1024;
  it('exactly the headroom is enough; a KiB less is not', () => {
    expect(checkWords(memoryHeadroom(mem(needed), config))).toMatchSnapshot();
    expect(checkWords(memoryHeadroom(mem(needed - 1), config))).toMatchSnapshot();
  });
  it('MemAvailable or MemTotal absent, or the file unreadable', () => {
    expect(checkWords(memoryHeadroom(mem(null, null), config))).toMatchSnapshot();
    expect(checkWords(memoryHeadroom(withFacts({ memory: unknown('meminfo') }), config))).toMatchSnapshot();
  });
});

describe('persistence-path-missing', () => {
  const MIB = 1024 * 1024;
  const path = (p: string, patch: Partial<{ exists: boolean; isDirectory: boolean | null; freeBytes: number | null }> = {}) => ({ path: p, exists: true, isDirectory: true, freeBytes: 400 * 1024 * MIB, ...patch });
  const [first, second] = [config.persistencePaths[0]!, config.vllm.modelStore];
  it('missing, not a directory, free space unreadable, too little, not observed; exactly the minimum is enough', () => {
    const minFree = config.thresholds.minModelStoreFreeMiB * MIB;
    const cases = [
      [path(first, { exists: false }), path(second)],
      [path(first, { isDirectory: false }), path(second, { freeBytes: null })],
      [path(first, { freeBytes: minFree - 1 }), path(second, { freeBytes: minFree })],
      [path(first)],
    ];
    for (const paths of cases) expect(checkWords(persistencePaths(withFacts({ paths: known(paths) }), config))).toMatchSnapshot();
    expect(checkWords(persistencePaths(withFacts({ paths: unknown('statfs') }), config))).toMatchSnapshot();
  });
  it('the model store is required only while vLLM is enabled', () => {
    const required = (enable: boolean) => {
      const c = withConfig((x) => {
        x.vllm.enable = enable;
        x.persistencePaths = ['/srv/state'];
      });
      return persistencePaths(withFacts({ paths: known([]) }), c).missing.map((r) => r.path[1]);
    };
    expect(required(false)).toEqual(['/srv/state']);
    expect(required(true)).toEqual(['/srv/state', config.vllm.modelStore]);
  });
});

describe('gpus-not-visible', () => {
  it('names every absent GPU, or that none is visible; fails closed when nvidia-smi could not be read', () => {
    const two = withConfig((c) => {
      c.hardware.presentGpus = [0, 1, 2];
      c.hardware.computeGpus = [1, 2];
    });
    expect(checkWords(gpusVisible(withFacts({ gpus: known([gpu(0)]) }), two))).toMatchSnapshot();
    expect(checkWords(gpusVisible(withFacts({ gpus: known([]) }), two))).toMatchSnapshot();
    expect(checkWords(gpusVisible(withFacts({ gpus: unknown('nvidia-smi') }), two))).toMatchSnapshot();
  });
});

describe('the units a plan touches', () => {
  it('what it and its rollback start, isolate or set properties on, each once; and the targets it isolates', () => {
    const plan = decide('compute', desktop, config).plan;
    expect([unitsTouchedByPlan(plan), unitsIsolatedByPlan(plan)]).toMatchSnapshot();
  });
  it('a unit not loaded, a target that refuses isolate, and what AllowIsolate read as', () => {
    const facts = withFacts({
      units: known([unit('a.service', 'inactive', { loadState: 'not-found' }), unit('b.target', 'active', { allowIsolate: false }), unit('c.target', 'active', { allowIsolate: null }), unit('d.target', 'active', { allowIsolate: true })]),
    });
    expect(checkWords(unitsLoadable(facts, ['a.service', 'b.target'], ['b.target', 'c.target', 'd.target']))).toMatchSnapshot();
  });
});
