// The checks behind the model-missing and model-does-not-fit guards: is the
// configured model a complete bundle in the model store, and do its weights
// plus one max-length sequence of KV cache fit the compute GPUs? Both run
// before any step, so a model that cannot load never costs the user their
// graphical session.
import type { Config } from '../schemas/config.ts';
import type { Facts, Known, ModelArchitecture, ModelBundle } from '../schemas/facts.ts';
import type { Evidence } from '../schemas/records.ts';
import { combine, conflict, fine, holds, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';
import { describeFit, gib, gpuMemoryUtilization, kvDtypeBytes, maxModelLenArg, modelFit, type FitInputs } from './model-fit.ts';

const MIB = 1024 * 1024;
const SEEDING = 'see docs/runbooks/model-seeding.md';

/** Passes when vLLM is off (or no model is set); otherwise the configured model's bundle must be complete. */
export function modelBundleComplete(facts: Facts, config: Config): Check {
  return judgeBundle(facts, config, (fact) => {
    const b = fact.value;
    const evidence = [evidenceOf(fact, 'model', bundleLines(b))];
    const problems = bundleProblems(b);
    if (problems.length === 0) return fine(evidence);
    return combine(...problems.map((message) => conflict(reason('model-missing', message, ['model', b.model], evidence))));
  });
}

/** Passes when vLLM is off (or no model is set); otherwise weights + KV cache must fit the compute GPUs' memory × utilization. */
export function modelFitsGpus(facts: Facts, config: Config): Check {
  return judgeBundle(facts, config, (fact) => fitsGpus(fact, facts, config));
}

function fitsGpus(fact: Known<ModelBundle>, facts: Facts, config: Config): Check {
  const b = fact.value;
  const bundleEvidence = evidenceOf(fact, 'model', bundleLines(b));
  if (bundleProblems(b).length > 0 || b.config === null) {
    return missingFact(reason('fact-unknown', `the size of ${b.model} cannot be judged: its bundle is incomplete (see model-missing)`, ['model', 'weightFiles'], [bundleEvidence]));
  }
  const inputs = fitInputs(b, b.config, facts, config, bundleEvidence);
  if ('check' in inputs) return inputs.check;
  const result = modelFit(inputs.inputs);
  const evidence = [bundleEvidence, ...inputs.evidence, { fact: 'model-fit', source: null, lines: describeFit(inputs.inputs, result) }];
  if (result.fits) return fine(evidence);
  return conflict(
    reason(
      'model-does-not-fit',
      `${b.model} needs ${gib(result.neededBytes)} (weights ${gib(inputs.inputs.weightBytes)} + KV cache ${gib(result.kvCacheBytes)} for ${inputs.inputs.maxModelLen} tokens), more than the ${gib(result.budgetBytes)} vLLM may use of GPU ${config.hardware.computeGpus.join(', ')} (× ${inputs.inputs.utilization}); choose a quantized variant or lower --max-model-len in vllm.extraArgs`,
      ['model', b.model],
      evidence,
    ),
  );
}

/** Passes with vLLM off (or no model set); a missing or other model's bundle is a missing fact; otherwise the bundle is judged. */
function judgeBundle(facts: Facts, config: Config, judge: (fact: Known<ModelBundle>) => Check): Check {
  const { enable, model } = config.vllm;
  // No model set: the vllm-model-unset guard blocks and says so; these have nothing to look at.
  if (!enable || model === null) return fine([]);
  const fact = facts.model;
  if (fact.status === 'unknown') return missingFact(unknownFactReason(fact, 'model'));
  if (fact.value.model !== model) {
    return missingFact(reason('fact-unknown', `the observed bundle is of ${fact.value.model}, not of the configured ${model}; observe again`, ['model'], [evidenceOf(fact, 'model', [`observed ${fact.value.model}`, `configured ${model}`])]));
  }
  return judge(fact);
}

/** Why the bundle is not complete, one sentence a problem; empty when it is. */
export function bundleProblems(b: ModelBundle): string[] {
  if (!b.directoryExists) return [`${b.directory} does not exist (or is not a folder): the model ${b.model} has not been seeded into the model store; ${SEEDING}`];
  const problems: string[] = [];
  if (b.config === null) problems.push(`${b.directory}/config.json does not exist; ${SEEDING}`);
  if (b.weightIndex === null) problems.push(`${b.directory} has neither model.safetensors.index.json nor model.safetensors: no weights; ${SEEDING}`);
  for (const w of b.weightFiles) {
    if (!w.exists) problems.push(`${b.directory}/${w.file}, named by ${b.weightIndex ?? 'the index'}, does not exist; ${SEEDING}`);
    else if (w.sizeBytes !== null && w.dataEndBytes !== null && w.sizeBytes < w.dataEndBytes) {
      problems.push(`${b.directory}/${w.file} is ${w.sizeBytes} bytes but its header says a complete file is ${w.dataEndBytes}: it is truncated (an interrupted copy?); copy it again and check the manifest`);
    }
  }
  return problems;
}

function bundleLines(b: ModelBundle): string[] {
  if (!b.directoryExists) return [`${b.directory}: absent`];
  return [
    `${b.directory}: config.json ${b.config === null ? 'absent' : 'present'}, weights named by ${b.weightIndex ?? '(nothing)'}`,
    ...b.weightFiles.map((w) => (w.exists ? `${w.file}: ${w.sizeBytes} bytes, ${w.tensors} tensors (${w.dtypes.join(', ')}), ${w.tensorBytes} tensor bytes, complete at ${w.dataEndBytes}` : `${w.file}: absent`)),
  ];
}

function fitInputs(b: ModelBundle, c: ModelArchitecture, facts: Facts, config: Config, bundleEvidence: Evidence): { inputs: FitInputs; evidence: Evidence[] } | { check: Check } {
  const args = config.vllm.extraArgs;
  const argsEvidence: Evidence = { fact: 'config.vllm.extraArgs', source: null, lines: [args.length > 0 ? args.join(' ') : '(none)'] };
  const bad = (message: string) => ({ check: conflict(reason('model-fit-unjudgeable', message, ['config', 'vllm', 'extraArgs'], [argsEvidence])) });
  const absentKey = (key: string) => ({ check: missingFact(reason('fact-unknown', `${b.directory}/config.json has no ${key}, so the KV cache of ${b.model} cannot be sized`, ['model', 'config', key], [bundleEvidence])) });

  const utilization = gpuMemoryUtilization(args);
  if (!utilization.ok) return bad(utilization.message);
  const lenArg = maxModelLenArg(args);
  if (!lenArg.ok) return bad(lenArg.message);
  const maxModelLen = lenArg.value ?? c.maxPositionEmbeddings;
  if (maxModelLen === null) return absentKey('max_position_embeddings (and extraArgs no --max-model-len)');
  if (c.numHiddenLayers === null) return absentKey('num_hidden_layers');
  const kvHeads = c.numKeyValueHeads ?? c.numAttentionHeads;
  if (kvHeads === null) return absentKey('num_key_value_heads or num_attention_heads');
  const headDim = c.headDim ?? (c.hiddenSize !== null && c.numAttentionHeads !== null ? Math.floor(c.hiddenSize / c.numAttentionHeads) : null);
  if (headDim === null || headDim === 0) return absentKey('head_dim (or hidden_size and num_attention_heads)');
  const kvBytes = kvDtypeBytes(args, c.torchDtype);
  if (!kvBytes.ok) return bad(kvBytes.message);

  const gpus = facts.gpus;
  if (gpus.status === 'unknown') return { check: missingFact(unknownFactReason(gpus, 'gpus')) };
  let gpuTotalBytes = 0;
  const gpuLines: string[] = [];
  const gpuMissing: Check[] = [];
  for (const index of config.hardware.computeGpus) {
    const gpu = gpus.value.find((g) => g.index === index);
    if (gpu?.memoryTotalMiB == null) {
      gpuMissing.push(missingFact(reason('fact-unknown', `the memory of compute GPU ${index} is unknown (${gpu ? 'nvidia-smi reports no total' : 'nvidia-smi does not list it'})`, ['gpus', index, 'memoryTotalMiB'], [evidenceOf(gpus, 'gpus', gpus.value.map((g) => `GPU ${g.index}: ${g.memoryTotalMiB ?? '?'} MiB total`))])));
      continue;
    }
    gpuTotalBytes += gpu.memoryTotalMiB * MIB;
    gpuLines.push(`GPU ${index} (${gpu.name ?? '?'}): ${gpu.memoryTotalMiB} MiB total`);
  }
  const missingGpus = combine(...gpuMissing);
  if (!holds(missingGpus)) return { check: missingGpus };

  const weightBytes = b.weightFiles.reduce((sum, w) => sum + (w.tensorBytes ?? 0), 0);
  return {
    inputs: { weightBytes, maxModelLen, layers: c.numHiddenLayers, kvHeads, headDim, kvDtypeBytes: kvBytes.value, gpuTotalBytes, utilization: utilization.value },
    evidence: [argsEvidence, evidenceOf(gpus, 'gpus', gpuLines)],
  };
}
