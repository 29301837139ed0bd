// `npm run demo`: the full mode walk on the simulated host (an in-memory
// machine with systemd-like units, logind sessions, GPU processes and a
// simulated clock, so durations are simulated time). Exits 1 when a request
// is not proven. `--fault vllm-never-ready|gpu-not-released|overlay-fails`
// shows how a failed switch is rolled back and reported.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runController } from '../machines/run-controller.ts';
import { Config } from '../schemas/config.ts';
import type { Faults } from '../simulation/faults.ts';
import { SimulatedHost } from '../simulation/host.ts';
import { walk } from './walk.ts';

const FAULTS: Record<string, Faults> = {
  'vllm-never-ready': { vllmNeverReady: true },
  'gpu-not-released': { gpuNotReleased: true },
  'overlay-fails': { failStart: ['audio-priority.service'] },
};

const { values } = parseArgs({ options: { fault: { type: 'string' }, config: { type: 'string' } } });
const faults = values.fault === undefined ? {} : FAULTS[values.fault];
if (faults === undefined) {
  console.error(`unknown --fault "${values.fault}"; choose one of: ${Object.keys(FAULTS).join(', ')}`);
  process.exit(2);
}
const configPath = values.config ?? new URL('./workstation.config.json', import.meta.url).pathname;
const parsed = Config.safeParse(JSON.parse(readFileSync(configPath, 'utf8')));
if (!parsed.success) {
  console.error(`${configPath} is not a valid Dubnium config:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(2);
}

const host = new SimulatedHost({ config: parsed.data, mode: 'desktop', faults });
console.log(`simulated host ${parsed.data.hostname}: GPUs ${parsed.data.hardware.presentGpus.join(', ')}, vLLM ${parsed.data.vllm.model ?? 'disabled'} (durations are simulated time)`);
const proven = await walk((target) => {
  const desired = host.request(target);
  return runController(host, target, { generation: desired.generation });
}, console.log);
console.log(`${host.performed.length} systemctl/loginctl operations, ${host.observations} observations, lock ${host.lockHeld ? 'STILL HELD' : 'released'}`);
process.exit(proven ? 0 : 1);
