// The sandbox's real Slurm cluster as its users and admins see it: the node's
// line from scontrol, and jobs submitted as the desktop user would submit them.
import { describeError } from '../../shared/describe-error.ts';
import { describeResult } from './command.ts';
import { DESKTOP_USER } from './layout.ts';
import type { Sandbox } from './sandbox.ts';

type Exec = Pick<Sandbox, 'exec'>;
type Waiting = Pick<Sandbox, 'exec' | 'waitUntil'>;

async function succeeded(sandbox: Exec, argv: string[]): Promise<string> {
  const done = await sandbox.exec(argv);
  if (done.exitCode !== 0) throw new Error(describeResult(done));
  return done.stdout;
}

/** `scontrol show node --oneliner <node>`, as an admin reads it. */
export const scontrolLine = (sandbox: Exec, node: string): Promise<string> => succeeded(sandbox, ['scontrol', 'show', 'node', '--oneliner', node]);

/** Submits `sbatch --wrap <wrap>` as the desktop user; the job id. */
export async function submitJob(sandbox: Exec, wrap: string): Promise<string> {
  const asUser = ['setpriv', `--reuid=${DESKTOP_USER.uid}`, `--regid=${DESKTOP_USER.gid}`, '--clear-groups'];
  return (await succeeded(sandbox, [...asUser, 'sbatch', '--parsable', '--chdir=/tmp', '--output=/dev/null', '--wrap', wrap])).trim();
}

/** The job's state as squeue says it (RUNNING, PENDING, ...); empty once Slurm has forgotten it. */
export const jobState = async (sandbox: Exec, id: string): Promise<string> => (await sandbox.exec(['squeue', '--noheader', `--jobs=${id}`, '--format=%T'])).stdout.trim();

/** Waits until the job runs; if it does not, the error says why Slurm holds it (squeue's reason) and how the node looks. */
export async function jobRuns(sandbox: Waiting, id: string, node: string, timeoutMs = 60_000): Promise<void> {
  try {
    await sandbox.waitUntil(`job ${id} runs`, async () => (await jobState(sandbox, id)) === 'RUNNING', timeoutMs);
  } catch (error) {
    const held = (await sandbox.exec(['squeue', '--noheader', `--jobs=${id}`, '--format=%T %r'])).stdout.trim();
    const line = await scontrolLine(sandbox, node).catch((e: unknown) => describeError(e));
    throw new Error(`${describeError(error)}: squeue says "${held}"; ${line}`, { cause: error });
  }
}

/**
 * Waits until slurmctld counts the node as responding. A slurmctld that was
 * restarted hears from slurmd only at its next ping or registration; until
 * then a job submitted stays PENDING though the node is not drained.
 */
export const nodeResponds = (sandbox: Waiting, node: string, timeoutMs = 120_000): Promise<void> =>
  sandbox.waitUntil(
    `node ${node} responds to slurmctld`,
    async () => {
      const shown = await sandbox.exec(['scontrol', 'show', 'node', '--oneliner', node]);
      return shown.exitCode === 0 && !/ State=\S*(NOT_RESPONDING|UNKNOWN|DOWN)/.test(shown.stdout);
    },
    timeoutMs,
  );
