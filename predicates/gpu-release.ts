// GPU release: compute may use a GPU only when the display has let go of it.
// Display processes are nvidia-smi types G and C+G; their memory on each
// compute GPU must total at most thresholds.gpuResidualMiB. vLLM's own C
// processes are expected in compute and are ignored. A display process whose
// memory or type nvidia-smi cannot report makes the release indeterminate
// (missing), never released.
import type { Config } from '../schemas/config.ts';
import type { Facts, Gpu } from '../schemas/facts.ts';
import { combine, conflict, fine, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';

const DISPLAY_TYPES = new Set(['G', 'C+G']);

export function gpuReleased(facts: Facts, config: Config): Check {
  const gpus = facts.gpus;
  if (gpus.status === 'unknown') return missingFact(unknownFactReason(gpus, 'gpus'));
  return combine(
    ...config.hardware.computeGpus.map((index) => {
      const gpu = gpus.value.find((g) => g.index === index);
      if (!gpu) {
        return conflict(
          reason('gpu-absent', `compute GPU ${index} is not among the GPUs nvidia-smi reports`, ['gpus', index], [
            evidenceOf(gpus, 'gpus', [`visible GPU indices: ${gpus.value.map((g) => g.index).join(', ') || '(none)'}`]),
          ]),
        );
      }
      return gpuReleasedOne(facts, config, gpu);
    }),
  );
}

function gpuReleasedOne(facts: Facts, config: Config, gpu: Gpu): Check {
  const path = `gpus.${gpu.index}.processes`;
  const lines = gpu.processes.map((p) => `pid ${p.pid} type ${p.type} ${p.name} ${p.usedMemoryMiB ?? '[N/A]'} MiB`);
  const evidence = [evidenceOf(facts.gpus, path, lines.length > 0 ? lines : ['no processes'])];
  const unclear = gpu.processes.filter((p) => p.type === 'unknown' || (DISPLAY_TYPES.has(p.type) && p.usedMemoryMiB === null));
  const display = gpu.processes.filter((p) => DISPLAY_TYPES.has(p.type));
  const heldMiB = display.reduce((sum, p) => sum + (p.usedMemoryMiB ?? 0), 0);
  const residual = config.thresholds.gpuResidualMiB;
  if (heldMiB > residual) {
    return conflict(
      reason(
        'gpu-held',
        `display processes hold ${heldMiB} MiB on compute GPU ${gpu.index}, more than the residual threshold ${residual} MiB`,
        ['gpus', gpu.index, 'processes'],
        evidence,
      ),
    );
  }
  if (unclear.length > 0) {
    return missingFact(
      reason(
        'gpu-release-indeterminate',
        `nvidia-smi does not say what ${unclear.map((p) => `pid ${p.pid} (${p.name})`).join(', ')} holds on compute GPU ${gpu.index}`,
        ['gpus', gpu.index, 'processes'],
        evidence,
      ),
    );
  }
  return fine(evidence);
}
