// Doctor's view of the two model guards of compute: whether the seeded
// bundle is complete and whether it fits the compute GPUs, with the same
// predicates `mode guards compute` runs, so the two commands never disagree.
import type { Config } from '../../schemas/config.ts';
import type { Facts } from '../../schemas/facts.ts';
import type { Check } from '../../predicates/check.ts';
import { modelBundleComplete, modelFitsGpus } from '../../predicates/model-checks.ts';
import type { DoctorCheck } from './doctor-check.ts';

export function modelChecks(config: Config, facts: Facts): DoctorCheck[] {
  const { enable, model, modelStore } = config.vllm;
  if (!enable || model === null) return [];
  const folder = `${modelStore}/${model}`;
  return [
    fromCheck('model-bundle', `the model bundle ${folder} is complete (the model-missing guard)`, modelBundleComplete(facts, config), `${folder} has config.json and every weight file its index names, each as long as its header says`),
    fromCheck('model-fit', `${model} fits the compute GPUs (the model-does-not-fit guard)`, modelFitsGpus(facts, config), 'weights + KV cache fit within the GPU memory vLLM may use'),
  ];
}

function fromCheck(id: string, title: string, check: Check, okMessage: string): DoctorCheck {
  const conflict = check.conflicts[0];
  if (conflict) return { id, title, status: 'fail', message: conflict.message, evidence: check.evidence };
  const missing = check.missing[0];
  if (missing) return { id, title, status: 'unknown', message: missing.message, evidence: check.evidence };
  return { id, title, status: 'pass', message: okMessage, evidence: check.evidence };
}
