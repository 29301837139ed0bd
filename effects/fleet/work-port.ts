// The host port's workload manager calls (machines/host.ts drainWork and
// resumeWork) over a fleet WorkloadAdapter (port.ts): what the adapter answers
// becomes the step's result, its commands the step's evidence. The chart
// proves either by observing the node afterwards; this only reports the call.
import type { ActionResult, Host } from '../../machines/host.ts';
import type { Config } from '../../schemas/config.ts';
import { describeError } from '../../shared/describe-error.ts';
import { fleetAdapters } from './adapters.ts';
import { isWorkloadAdapter, type FleetResult, type WorkloadAdapter } from './port.ts';

/** The workload adapter the config turns on (slurm.enable), or null. */
export const configuredWorkload = (config: Config): WorkloadAdapter | null => (config.slurm.enable ? (fleetAdapters(config).find(isWorkloadAdapter) ?? null) : null);

export function actionResultOf(result: FleetResult<null>, done: string): ActionResult {
  if (result.kind === 'ok') return { ok: true, message: done, commands: result.evidence };
  const what = result.kind === 'unreachable' ? 'the workload manager cannot be reached' : 'the workload manager refused';
  return { ok: false, message: `${what}: ${result.reason}`, commands: result.evidence };
}

/** An adapter that throws is a bug of the adapter; the run records it as the step's failure rather than dying. */
async function called(adapter: WorkloadAdapter, call: () => Promise<FleetResult<null>>, done: string): Promise<ActionResult> {
  try {
    return actionResultOf(await call(), done);
  } catch (error) {
    return { ok: false, message: `the ${adapter.name} adapter threw: ${describeError(error)}`, commands: [] };
  }
}

/** The two methods of the Host port; none when no workload manager is configured (the chart's step then says so). */
export function workPort(adapter: WorkloadAdapter | null): Pick<Host, 'drainWork' | 'resumeWork'> {
  if (adapter === null) return {};
  return {
    drainWork: (reason, signal) => called(adapter, () => adapter.drain(reason, signal), `asked ${adapter.name} to drain the node (reason "${reason}")`),
    resumeWork: (signal) => called(adapter, () => adapter.resume(signal), `asked ${adapter.name} to resume the node`),
  };
}
