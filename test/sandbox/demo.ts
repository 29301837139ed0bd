// The main-job demo against a real systemd: boots the sandbox, walks
// desktop → studio-local → desktop → compute → desktop through the real
// controller inside mode-controller@<mode>.service, prints `mode status` and
// each outcome with its duration, and exits non-zero if any step is not
// proven. Run it as root: `npx node test/sandbox/demo.ts`.
import { fileURLToPath } from 'node:url';
import { WALK, walk } from '../../examples/walk.ts';
import type { TransitionRecord } from '../../schemas/records.ts';
import { runCommand } from './command.ts';
import { bootControllerSandbox, request, type ControllerSandbox } from './e2e.ts';
import { REPO_ROOT } from './layout.ts';
import { sandboxPrerequisites } from './prerequisites.ts';

type Write = (text: string) => void;

/** Proven: the run says succeeded (or noop) and its fresh observation is the mode asked for. */
export function proven(record: TransitionRecord): boolean {
  const observed = record.outcome === 'noop' ? record.from : record.finalObservation;
  return (record.outcome === 'succeeded' || record.outcome === 'noop') && observed?.mode === record.target;
}

async function modeStatus(sandbox: ControllerSandbox): Promise<string> {
  const root = `/proc/${sandbox.systemdPid}/root`;
  const status = await runCommand(`${REPO_ROOT}/node_modules/.bin/node`, [`${REPO_ROOT}/cli/mode.ts`, 'status'], {
    timeoutMs: 60_000,
    env: {
      RUNTIME_DIRECTORY: `${root}/run/mode-controller`,
      STATE_DIRECTORY: `${root}/var/lib/mode-controller`,
      DUBNIUM_CONFIG: `${sandbox.dir}/config.json`,
      PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}`,
    },
  });
  return (status.stdout + status.stderr).replace(/^/gm, '    ');
}

/** Runs the walk; returns the exit status (0 when every step is proven). */
export async function runSandboxDemo(out: Write): Promise<number> {
  const missing = sandboxPrerequisites();
  if (missing.length > 0) {
    out(`The demo boots a real systemd in a bubblewrap sandbox and cannot run here:\n${missing.map((m) => `  - ${m}`).join('\n')}\n`);
    return 2;
  }
  out('Booting systemd 252 as PID 1 in a bubblewrap sandbox (units from units/, a real logind session, vLLM and nvidia-smi stand-ins)...\n');
  const sandbox = await bootControllerSandbox();
  let problems = 0;
  try {
    out(`Booted (systemd is host PID ${sandbox.systemdPid}).\n\n`);
    // the same walk and report as the simulated demo (examples/walk.ts), each request run for real
    const walked = await walk(
      async (target) => {
        out(`mode status:\n${await modeStatus(sandbox)}\n`);
        const { record } = await request(sandbox, target, 'demo');
        if (!proven(record)) {
          problems += 1;
          out(`NOT PROVEN: ${target} requested, the run's own observation is ${(record.outcome === 'noop' ? record.from : record.finalObservation)?.mode ?? 'missing'}\n`);
        }
        return record;
      },
      (line) => out(`${line}\n`),
    );
    if (!walked) problems += 1;
    out(`\nmode status:\n${await modeStatus(sandbox)}\n`);
  } finally {
    const report = await sandbox.stop();
    out(report.problems.length === 0 ? 'Sandbox torn down: no process, cgroup or file left.\n' : `Sandbox teardown problems: ${report.problems.join('; ')}\n`);
    if (report.problems.length > 0) problems += 1;
  }
  out(problems === 0 ? `Every request was proven by a fresh observation: ${WALK.join(' → ')}.\n` : 'Not every request was proven.\n');
  return problems === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runSandboxDemo((text) => process.stdout.write(text));
}
