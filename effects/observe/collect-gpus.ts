// GPUs fact: `nvidia-smi -q -x`, the one nvidia-smi output that lists
// graphics (G, C+G) processes as well as compute ones. A missing binary, an
// exit status (driver not loaded, NVML missing, GPU lost), garbage and a hang
// all become unknown, never an empty or zeroed GPU list.
import type { Fact, Gpu } from '../../schemas/facts.ts';
import { commandSource, known, unknownFromCommand, unknownFromParse } from './fact-builders.ts';
import { nvidiaExitMeaning } from './nvidia-exit-codes.ts';
import { runInContext, type ObserveContext } from './observe-context.ts';
import { parseNvidiaSmiXml } from './parsers/nvidia-smi-xml.ts';

export const NVIDIA_SMI_ARGS = ['-q', '-x'] as const;

export async function collectGpus(ctx: ObserveContext): Promise<Fact<Gpu[]>> {
  const result = await runInContext(ctx, 'nvidiaSmi', NVIDIA_SMI_ARGS);
  const readAt = ctx.now().toISOString();
  if (result.kind !== 'ok') return unknownFromCommand(result, readAt, nvidiaExitMeaning);
  const gpus = parseNvidiaSmiXml(result.stdout);
  if (!gpus.ok) return unknownFromParse(gpus, commandSource(result), readAt, 'the XML of nvidia-smi -q -x');
  return known(gpus.value, commandSource(result), readAt);
}
