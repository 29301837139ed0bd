// The v1 host's config, parsed by the real schema, for engine tests.
import { readFileSync } from 'node:fs';
import { Config } from '../../../schemas/config.ts';

export const workstationConfig: Config = Config.parse(
  JSON.parse(readFileSync(new URL('../../../examples/workstation.config.json', import.meta.url), 'utf8')),
);

export const withConfig = (patch: (c: Config) => void): Config => {
  const copy = structuredClone(workstationConfig);
  patch(copy);
  return Config.parse(copy);
};
