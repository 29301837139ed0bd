// `npm run demo`: the full mode walk on the simulated host (an in-memory
// machine with systemd-like units, logind sessions, GPU processes and a
// simulated clock, so durations are simulated time). Exits 1 when a request
// is not proven. `--fault vllm-never-ready|gpu-not-released|overlay-fails`
// shows how a failed switch is rolled back and reported. `--slurm` makes the
// machine a Slurm node (slurm.enable): compute resumes it, and leaving compute
// drains it and waits for the job submitted there (90 s) to end.
// `--slurm-job-seconds N` makes that job run N s instead: past
// slurm.drainWaitSeconds (600) it blocks the way back to desktop.
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

const { values } = parseArgs({ options: { fault: { type: 'string' }, config: { type: 'string' }, slurm: { type: 'boolean' }, 'slurm-job-seconds': { type: 'string' } } });
const jobSeconds = Number(values['slurm-job-seconds'] ?? '90');
if (!Number.isInteger(jobSeconds) || jobSeconds < 1) {
  console.error(`--slurm-job-seconds must be a whole number of seconds, at least 1 (got "${values['slurm-job-seconds']}")`);
  process.exit(2);
}
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

const config: Config = values.slurm === true ? { ...parsed.data, slurm: { ...parsed.data.slurm, enable: true } } : parsed.data;
const host = new SimulatedHost({ config, mode: 'desktop', faults, slurm: { drained: true, reason: 'dubnium: desktop' } });
console.log(`simulated host ${parsed.data.hostname}: GPUs ${parsed.data.hardware.presentGpus.join(', ')}, vLLM ${parsed.data.vllm.model ?? 'disabled'} (durations are simulated time)`);
const proven = await walk((target) => {
  const desired = host.request(target);
  // someone's job lands on the resumed node while it is in compute; leaving compute waits for it
  if (config.slurm.enable && target !== 'compute' && !host.slurm.drained && host.slurm.submit({ id: '4242', user: 'alice', name: 'finetune', runsForMs: jobSeconds * 1000 }, host.clock.monotonicMs())) {
    console.log(`  (Slurm job 4242 of alice submitted to the node, running ${jobSeconds} s)`);
  }
  return runController(host, target, { generation: desired.generation });
}, console.log);
console.log(`${host.performed.length} systemctl/loginctl operations, ${host.observations} observations, lock ${host.lockHeld ? 'STILL HELD' : 'released'}`);
if (config.slurm.enable) console.log(`Slurm was asked: ${host.slurm.calls.join(', ') || 'nothing'}; the node is ${host.slurm.drained ? `drained (${host.slurm.reason ?? 'no reason'})` : 'resumed'}`);
process.exit(proven ? 0 : 1);
