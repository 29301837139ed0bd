// examples/workstation.config.json is the v1 host's config and the golden file
// that the Nix generator must reproduce; here it is checked against both the
// zod schema and the published JSON Schema.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { Config } from '../../schemas/config.ts';
import { jsonSchemaFor } from '../../schemas/json-schema.ts';

const golden: unknown = JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8'));

describe('examples/workstation.config.json', () => {
  it('is a valid Config for the zod schema', () => {
    const parsed = Config.safeParse(golden);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('is valid for the published JSON Schema, which rejects what zod rejects', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(jsonSchemaFor('config'));
    expect(validate(golden), JSON.stringify(validate.errors)).toBe(true);
    const withGlob = structuredClone(golden) as { units: { vllm: string } };
    withGlob.units.vllm = '*';
    expect(validate(withGlob)).toBe(false);
    expect(Config.safeParse(withGlob).success).toBe(false);
  });

  it('describes the plan v1 host', () => {
    const config = Config.parse(golden);
    expect(config.hostname).toBe('dubnium-workstation');
    expect(config.hardware).toMatchObject({ presentGpus: [0], displayGpu: 0, computeGpus: [0], plannedGpuCount: 2 });
    expect(config.vllm.model).toBe('Qwen/Qwen2.5-Coder-14B-Instruct-AWQ');
    expect(config.vllm.modelStore).toBe('/var/lib/dubnium/models');
    expect(config.boot.defaultMode).toBe('desktop');
    expect(config.k3s.enable).toBe(false);
    expect(config.capabilityPlacement.studio).toBe('local');
  });
});
