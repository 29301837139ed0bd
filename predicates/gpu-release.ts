// GPU release: compute may use a GPU only when the display has let go of it,
// by both sources. nvidia-smi: display processes are types G and C+G; their
// memory on each compute GPU must total at most thresholds.gpuResidualMiB.
// The controller's own holders (/proc/PID/fd): no process of the desktop (the
// display manager, a session, a user's manager) may hold the GPU's node at
// all, whatever nvidia-smi says: nvidia-smi misses processes of other PID
// namespaces and processes without a context. vLLM's own processes are
// expected in compute and are ignored. A display process whose memory or type
// nvidia-smi cannot report, and holders that could not be read, make the
// release indeterminate (missing), never released.
import type { Config } from '../schemas/config.ts';
import type { Facts, Gpu } from '../schemas/facts.ts';
import { combine, conflict, fine, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';
import { describeHolder, holderRole, holdsGpu } from './gpu-holders.ts';

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
      return combine(gpuReleasedOne(facts, config, gpu), noDesktopHolder(facts, config, gpu));
    }),
  );
}

/** No process of the desktop holds the GPU's node open (the controller's own /proc/PID/fd scan). */
function noDesktopHolder(facts: Facts, config: Config, gpu: Gpu): Check {
  const holders = facts.gpuHolders;
  if (holders.status === 'unknown') return missingFact(unknownFactReason(holders, 'gpuHolders'));
  const onGpu = holders.value.filter((h) => holdsGpu(h, gpu));
  const path = `gpuHolders.gpu${gpu.index}`;
  const evidence = [evidenceOf(holders, path, onGpu.length > 0 ? onGpu.map(describeHolder) : [`no process holds the node of GPU ${gpu.index}`])];
  const desktop = onGpu.filter((h) => holderRole(h, config) === 'desktop');
  if (desktop.length === 0) return fine(evidence);
  return conflict(
    reason(
      'gpu-desktop-holder',
      `${desktop.map(describeHolder).join('; ')}: the desktop still holds compute GPU ${gpu.index}`,
      ['gpuHolders', gpu.index],
      evidence,
    ),
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

/**
 * No process of vLLM holds a GPU node: a stopped vllm.service whose EngineCore or workers survived
 * (vllm-project/vllm#55510: they keep the GPU while the port is free) has not released anything.
 */
export function vllmReleased(facts: Facts, config: Config): Check {
  const holders = facts.gpuHolders;
  if (holders.status === 'unknown') return missingFact(unknownFactReason(holders, 'gpuHolders'));
  const left = holders.value.filter((h) => holderRole(h, config) === 'vllm');
  const evidence = [evidenceOf(holders, 'gpuHolders', left.length > 0 ? left.map(describeHolder) : [`no process of ${config.units.vllm} holds a GPU node`])];
  if (left.length === 0) return fine(evidence);
  return conflict(
    reason('vllm-holder-left', `${left.map(describeHolder).join('; ')}: a process of ${config.units.vllm} still holds the GPU`, ['gpuHolders'], evidence),
  );
}

/** Compute's guard: no process of a stopped vLLM still holds a GPU, or the vLLM compute starts would not get its memory. */
export function noLeftoverVllm(facts: Facts, config: Config): Check {
  const units = facts.units;
  const running = units.status === 'known' && units.value.some((u) => u.id === config.units.vllm && u.activeState === 'active');
  if (running) return fine([evidenceOf(units, `units.${config.units.vllm}`, [`${config.units.vllm} is active: the processes holding a GPU are its own`])]);
  return vllmReleased(facts, config);
}
