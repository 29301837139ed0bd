// The golden v1 config, with paths moved into a test's temporary folders.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Config } from '../../schemas/config.ts';

const GOLDEN = fileURLToPath(new URL('../../examples/workstation.config.json', import.meta.url));

export function testConfig(overrides: { persistencePaths?: string[]; alsaRoot?: string; observeMs?: number; interactiveSlice?: string } = {}): Config {
  const config = Config.parse(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  return {
    ...config,
    persistencePaths: overrides.persistencePaths ?? config.persistencePaths,
    units: { ...config.units, slices: { ...config.units.slices, interactive: overrides.interactiveSlice ?? config.units.slices.interactive } },
    audio: { ...config.audio, alsaRoot: overrides.alsaRoot ?? config.audio.alsaRoot },
    thresholds: { ...config.thresholds, stepTimeoutsMs: { ...config.thresholds.stepTimeoutsMs, observe: overrides.observeMs ?? config.thresholds.stepTimeoutsMs.observe } },
  };
}
