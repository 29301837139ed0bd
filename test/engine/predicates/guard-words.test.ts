// Every guard verdict as `mode guards` and the record show it: code, severity,
// passed, the exact message and the facts cited, for each target from its
// usual mode, and for the configurations that change the words (studio placed
// remotely, vLLM disabled, enabled without a model). A change of wording here
// is a change operators read; the snapshot makes it a reviewed one.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../predicates/decide.ts';
import type { Config } from '../../../schemas/config.ts';
import type { ModeName } from '../../../schemas/names.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor } from '../support/facts.ts';

const words = (from: ModeName, target: ModeName, c: Config = config) =>
  decide(target, factsFor(from, c), c).guards.verdicts.map((v) => [v.code, v.severity, v.passed, v.message, v.evidence.map((e) => [e.fact, ...e.lines])]);

describe('the words of every guard', () => {
  it('desktop → compute', () => {
    expect(words('desktop', 'compute')).toMatchSnapshot();
  });
  it('desktop → studio-local', () => {
    expect(words('desktop', 'studio-local')).toMatchSnapshot();
  });
  it('compute → desktop', () => {
    expect(words('compute', 'desktop')).toMatchSnapshot();
  });
  it('studio placed remotely', () => {
    const remote = withConfig((c) => {
      c.capabilityPlacement.studio = 'remote';
    });
    expect(words('desktop', 'studio-local', remote).find(([code]) => code === 'studio-not-local')).toMatchSnapshot();
  });
  it('vLLM disabled, and enabled without a model', () => {
    const disabled = withConfig((c) => {
      c.vllm.enable = false;
    });
    const unset = withConfig((c) => {
      c.vllm.model = null;
    });
    const modelWords = (c: Config) => words('desktop', 'compute', c).filter(([code]) => ['vllm-model-unset', 'model-missing', 'model-does-not-fit'].includes(code as string));
    expect(modelWords(disabled)).toMatchSnapshot();
    expect(modelWords(unset)).toMatchSnapshot();
  });
});
