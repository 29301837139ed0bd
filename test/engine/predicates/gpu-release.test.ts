import { describe, expect, it } from 'vitest';
import { holds } from '../../../predicates/check.ts';
import { describeHolder } from '../../../predicates/gpu-holders.ts';
import { gpuReleased, noLeftoverVllm, vllmReleased } from '../../../predicates/gpu-release.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unknown, withUnit } from '../support/facts.ts';
import { placementOf } from '../../../effects/observe/parsers/proc-cgroup.ts';
import type { GpuHolder, GpuProcess } from '../../../schemas/facts.ts';

const withGpus = (...gpus: ReturnType<typeof gpu>[]) => ({ ...factsFor('compute', config), gpus: known(gpus) });
const proc = (type: GpuProcess['type'], usedMemoryMiB: number | null): GpuProcess => ({ pid: 7, type, name: 'p', usedMemoryMiB });
const withHolders = (holders: GpuHolder[], ...gpus: ReturnType<typeof gpu>[]) => ({ ...withGpus(...gpus), gpuHolders: known(holders) });
const holder = (pid: number, command: string, cgroup: string, devices = ['/dev/nvidia0', '/dev/nvidiactl']): GpuHolder => ({
  pid,
  command,
  uid: 1000,
  devices,
  ...placementOf(cgroup),
});
const kwin = holder(1311, 'kwin_wayland', '/user.slice/user-1000.slice/user@1000.service/session.slice/plasma-kwin_wayland.service', ['/dev/nvidia-modeset', '/dev/nvidia0', '/dev/nvidiactl']);
const engine = holder(4100, 'VLLM::EngineCor', '/ai.slice/vllm.service', ['/dev/nvidia-uvm', '/dev/nvidia0', '/dev/nvidiactl']);

describe('gpuReleased', () => {
  it('holds with only vLLM compute processes on the compute GPU', () => {
    expect(holds(gpuReleased(withGpus(gpu(0, [proc('C', 20_000)])), config))).toBe(true);
  });

  it('sums G and C+G memory against the residual threshold (inclusive)', () => {
    expect(holds(gpuReleased(withGpus(gpu(0, [proc('G', 300), proc('C+G', 212)])), config))).toBe(true);
    const over = gpuReleased(withGpus(gpu(0, [proc('G', 300), proc('C+G', 213)])), config);
    expect(over.conflicts.map((r) => [r.code, r.path])).toEqual([['gpu-held', ['gpus', 0, 'processes']]]);
    expect(over.conflicts[0]!.message).toContain('513 MiB');
  });

  it('is indeterminate, not released, when a display process memory or a process type is unreadable', () => {
    for (const p of [proc('G', null), proc('unknown', 5)]) {
      const check = gpuReleased(withGpus(gpu(0, [p])), config);
      expect(check.conflicts).toEqual([]);
      expect(check.missing.map((r) => r.code)).toEqual(['gpu-release-indeterminate']);
    }
  });

  it('fails for a configured compute GPU that nvidia-smi does not list', () => {
    const two = withConfig((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [0, 1];
    });
    const check = gpuReleased({ ...factsFor('compute', two), gpus: known([gpu(0)]) }, two);
    expect(check.conflicts.map((r) => [r.code, r.path])).toEqual([['gpu-absent', ['gpus', 1]]]);
  });

  it('only looks at compute GPUs', () => {
    const split = withConfig((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [1];
    });
    expect(holds(gpuReleased({ ...factsFor('compute', split), gpus: known([gpu(0, [proc('G', 4000)]), gpu(1)]) }, split))).toBe(true);
  });

  it('is missing when nvidia-smi could not be read', () => {
    const check = gpuReleased({ ...factsFor('compute', config), gpus: unknown('nvidia-smi') }, config);
    expect(check.missing.map((r) => r.path)).toEqual([['gpus']]);
  });

  it('cites each process on the GPU, or says there are none', () => {
    const released = gpuReleased(withHolders([], gpu(0)), config);
    expect(released.evidence).toEqual([
      { fact: 'gpus.0.processes', source: { kind: 'simulated', name: 'test' }, lines: ['no processes'] },
      { fact: 'gpuHolders.gpu0', source: { kind: 'simulated', name: 'test' }, lines: ['no process holds the node of GPU 0'] },
    ]);
    const unclear = gpuReleased(withGpus(gpu(0, [{ pid: 12, type: 'G', name: 'Xorg', usedMemoryMiB: null }])), config);
    expect(unclear.missing[0]).toMatchObject({
      message: 'nvidia-smi does not say what pid 12 (Xorg) holds on compute GPU 0',
      path: ['gpus', 0, 'processes'],
      evidence: [{ lines: ['pid 12 type G Xorg [N/A] MiB'] }],
    });
  });

  it('names the visible GPUs when a compute GPU is missing', () => {
    const two = withConfig((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [1];
    });
    const none = gpuReleased({ ...factsFor('compute', two), gpus: known([]) }, two);
    expect(none.conflicts[0]).toMatchObject({ message: 'compute GPU 1 is not among the GPUs nvidia-smi reports', evidence: [{ fact: 'gpus', lines: ['visible GPU indices: (none)'] }] });
    const other = gpuReleased({ ...factsFor('compute', two), gpus: known([gpu(0), gpu(2)]) }, two);
    expect(other.conflicts[0]!.evidence[0]!.lines).toEqual(['visible GPU indices: 0, 2']);
  });

  it('fails for a desktop process holding the GPU node that nvidia-smi does not list, naming PID, command and unit', () => {
    const check = gpuReleased(withHolders([kwin, engine], gpu(0, [proc('C', 20_000)])), config);
    expect(check.conflicts.map((r) => [r.code, r.path])).toEqual([['gpu-desktop-holder', ['gpuHolders', 0]]]);
    expect(check.conflicts[0]!.message).toBe(
      'pid 1311 (kwin_wayland) in user@1000.service/plasma-kwin_wayland.service holds /dev/nvidia-modeset, /dev/nvidia0, /dev/nvidiactl: the desktop still holds compute GPU 0',
    );
  });

  it('counts the display manager, a session scope and a user slice as the desktop; vLLM and system services are not', () => {
    const desktop = [
      holder(1, 'Xorg', '/system.slice/display-manager.service'),
      holder(2, 'startplasma', '/user.slice/user-1000.slice/session-3.scope'),
      holder(3, 'app', '/user.slice/user-1000.slice'),
    ];
    for (const h of desktop) expect(gpuReleased(withHolders([h], gpu(0)), config).conflicts.map((r) => r.code), h.command).toEqual(['gpu-desktop-holder']);
    const released = [engine, holder(5, 'nvidia-persiste', '/system.slice/nvidia-persistenced.service')];
    expect(holds(gpuReleased(withHolders(released, gpu(0)), config))).toBe(true);
  });

  it("matches a holder to a GPU by the GPU's minor number, and to every GPU when the minor is not known", () => {
    const split = withConfig((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [1];
    });
    const onDisplayGpu = holder(1, 'Xorg', '/system.slice/display-manager.service', ['/dev/nvidia0', '/dev/nvidiactl']);
    const facts = (minor: number | null) => ({ ...factsFor('compute', split), gpus: known([gpu(0), { ...gpu(1), minorNumber: minor }]), gpuHolders: known([onDisplayGpu]) });
    expect(holds(gpuReleased(facts(1), split))).toBe(true);
    expect(gpuReleased(facts(null), split).conflicts.map((r) => r.code)).toEqual(['gpu-desktop-holder']);
    // the shared control node alone holds no GPU
    const ctlOnly = { ...facts(null), gpuHolders: known([{ ...onDisplayGpu, devices: ['/dev/nvidiactl'] }]) };
    expect(holds(gpuReleased(ctlOnly, split))).toBe(true);
  });

  it('is missing, never released, when the holders could not be read', () => {
    const check = gpuReleased({ ...withGpus(gpu(0)), gpuHolders: unknown('proc-fd') }, config);
    expect(check.conflicts).toEqual([]);
    expect(check.missing.map((r) => r.path)).toEqual([['gpuHolders']]);
  });
});

describe('vllmReleased and noLeftoverVllm', () => {
  const stopped = (holders: GpuHolder[]) => ({ ...withUnit(withUnit(factsFor('desktop', config), 'vllm.service', { activeState: 'failed' }), 'vllm-ready.service', { activeState: 'inactive' }), gpuHolders: known(holders) });

  it("names a process of vllm.service that still holds the GPU after the unit stopped (vllm#55510)", () => {
    const check = vllmReleased(stopped([engine]), config);
    expect(check.conflicts.map((r) => r.code)).toEqual(['vllm-holder-left']);
    expect(check.conflicts[0]!.message).toContain('pid 4100 (VLLM::EngineCor) in vllm.service holds /dev/nvidia-uvm, /dev/nvidia0, /dev/nvidiactl');
    expect(holds(vllmReleased(stopped([kwin]), config))).toBe(true);
  });

  it("compute's guard: blocks on a stopped vLLM's leftover, passes while vllm.service runs, fails closed when holders are unknown", () => {
    expect(noLeftoverVllm(stopped([engine]), config).conflicts.map((r) => r.code)).toEqual(['vllm-holder-left']);
    const running = { ...factsFor('compute', config), gpuHolders: known([engine]) };
    expect(holds(noLeftoverVllm(running, config))).toBe(true);
    expect(noLeftoverVllm({ ...stopped([]), gpuHolders: unknown('proc-fd') }, config).missing.map((r) => r.path)).toEqual([['gpuHolders']]);
  });

  it('cites exactly what it read: the holders of vLLM, or that none holds a node; the active unit while it runs', () => {
    const src = { kind: 'simulated', name: 'test' };
    const second = { ...engine, pid: 4101, command: 'VLLM::Worker' };
    const left = vllmReleased(stopped([engine, second]), config);
    expect(left.conflicts[0]).toEqual({
      code: 'vllm-holder-left',
      message: `${describeHolder(engine)}; ${describeHolder(second)}: a process of vllm.service still holds the GPU`,
      path: ['gpuHolders'],
      evidence: [{ fact: 'gpuHolders', source: src, lines: [describeHolder(engine), describeHolder(second)] }],
    });
    expect(vllmReleased(stopped([kwin]), config).evidence).toEqual([{ fact: 'gpuHolders', source: src, lines: ['no process of vllm.service holds a GPU node'] }]);
    const running = { ...factsFor('compute', config), gpuHolders: known([engine]) };
    expect(noLeftoverVllm(running, config).evidence.map((e) => [e.fact, e.lines])).toEqual([['units.vllm.service', ['vllm.service is active: the processes holding a GPU are its own']]]);
    // units that could not be read do not pass for a running vLLM
    expect(noLeftoverVllm({ ...stopped([engine]), units: unknown('systemctl') }, config).conflicts.map((r) => r.code)).toEqual(['vllm-holder-left']);
  });
});

describe('the desktop holding a compute GPU', () => {
  it('names every desktop holder, joined, and cites every holder of the node', () => {
    const shell = holder(1320, 'plasmashell', '/user.slice/user-1000.slice/user@1000.service/session.slice/plasma-plasmashell.service');
    const check = gpuReleased(withHolders([kwin, shell, engine], gpu(0, [proc('C', 20_000)])), config);
    expect(check.conflicts[0]!.message).toBe(`${describeHolder(kwin)}; ${describeHolder(shell)}: the desktop still holds compute GPU 0`);
    expect(check.evidence.find((e) => e.fact === 'gpuHolders.gpu0')?.lines).toEqual([kwin, shell, engine].map(describeHolder));
  });

  it('names every process nvidia-smi leaves unclear, joined', () => {
    const check = gpuReleased(withGpus(gpu(0, [{ pid: 12, type: 'G', name: 'Xorg', usedMemoryMiB: null }, { pid: 13, type: 'unknown', name: 'x', usedMemoryMiB: 1 }])), config);
    expect(check.missing[0]!.message).toBe('nvidia-smi does not say what pid 12 (Xorg), pid 13 (x) holds on compute GPU 0');
  });
});
