// mode doctor's model checks: the same verdicts as the model-missing and
// model-does-not-fit guards, as pass / fail / unknown lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelChecks } from '../../cli/doctor/model-checks.ts';
import { Config } from '../../schemas/config.ts';
import { SimulatedHost } from '../../simulation/host.ts';
import { simulatedModelBundle } from '../../simulation/model-bundle.ts';

const config = Config.parse(JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')));
const observe = (modelBundle: ReturnType<typeof simulatedModelBundle>, c: Config = config) =>
  new SimulatedHost({ config: c, mode: 'desktop', modelBundle }).observe();

describe('doctor model checks', () => {
  it('pass for the seeded bundle of the v1 config', async () => {
    const checks = modelChecks(config, await observe(simulatedModelBundle(config)));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['model-bundle', 'pass'],
      ['model-fit', 'pass'],
    ]);
    expect(checks[1]?.evidence.find((e) => e.fact === 'model-fit')?.lines[1]).toMatch(/^KV cache: 32768 tokens × 48 layers/);
  });

  it('fail for a store nobody seeded, naming the folder and the runbook; the fit is then unknown', async () => {
    const bundle = simulatedModelBundle(config)!;
    const checks = modelChecks(config, await observe({ ...bundle, directoryExists: false, config: null, weightIndex: null, weightFiles: [] }));
    expect(checks.map((c) => c.status)).toEqual(['fail', 'unknown']);
    expect(checks[0]?.message).toMatch(/\/var\/lib\/dubnium\/models\/Qwen\/Qwen2\.5-Coder-14B-Instruct-AWQ does not exist .*docs\/runbooks\/model-seeding\.md/);
  });

  it('fail the fit for bf16-sized weights', async () => {
    const bundle = simulatedModelBundle(config, [29_540_000_000])!;
    const checks = modelChecks(config, await observe(bundle));
    expect(checks.map((c) => c.status)).toEqual(['pass', 'fail']);
    expect(checks[1]?.message).toMatch(/needs 33\.51 GiB .* more than the 21\.59 GiB/);
  });

  it('say nothing when vLLM is disabled', async () => {
    const off = Config.parse({ ...config, vllm: { ...config.vllm, enable: false } });
    expect(modelChecks(off, await observe(null, off))).toEqual([]);
  });
});
