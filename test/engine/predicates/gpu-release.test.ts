import { describe, expect, it } from 'vitest';
import { holds } from '../../../predicates/check.ts';
import { gpuReleased } from '../../../predicates/gpu-release.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, unknown } from '../support/facts.ts';
import type { GpuProcess } from '../../../schemas/facts.ts';

const withGpus = (...gpus: ReturnType<typeof gpu>[]) => ({ ...factsFor('compute', config), gpus: known(gpus) });
const proc = (type: GpuProcess['type'], usedMemoryMiB: number | null): GpuProcess => ({ pid: 7, type, name: 'p', usedMemoryMiB });

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
    const released = gpuReleased(withGpus(gpu(0)), config);
    expect(released.evidence).toEqual([{ fact: 'gpus.0.processes', source: { kind: 'simulated', name: 'test' }, lines: ['no processes'] }]);
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
});

