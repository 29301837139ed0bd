// Who holds a GPU, from the holders the controller found itself
// (/proc/PID/fd), judged by where systemd runs each process, never by its
// name: vLLM's own processes run in the vLLM unit; the desktop's run in the
// display manager's unit, in a logind session's scope, or under a user's
// manager (user@UID.service: Plasma 6's kwin_wayland and plasmashell, apps);
// everything else (nvidia-persistenced, a system service) is "other" and
// keeps no display on the GPU.
import type { Config } from '../schemas/config.ts';
import type { Gpu, GpuHolder } from '../schemas/facts.ts';

export type HolderRole = 'vllm' | 'desktop' | 'other';

const USER_MANAGER = /^user@\d+\.service$/;

export function holderRole(holder: GpuHolder, config: Config): HolderRole {
  if (holder.unit === config.units.vllm) return 'vllm';
  if (holder.unit === config.units.displayManager || holder.session !== null) return 'desktop';
  if (holder.unit !== null && USER_MANAGER.test(holder.unit)) return 'desktop';
  // a process directly in a user's slice belongs to the user's login, not to a service
  if (holder.cgroup !== null && holder.cgroup.split('/').includes('user.slice')) return 'desktop';
  return 'other';
}

/** Whether the holder has this GPU's own node open (/dev/nvidia<minor>); any numbered node when the minor is not known. */
export function holdsGpu(holder: GpuHolder, gpu: Gpu): boolean {
  const minor = gpu.minorNumber;
  if (minor === null || minor === undefined) return holder.devices.some((d) => /^\/dev\/nvidia\d+$/.test(d));
  return holder.devices.includes(`/dev/nvidia${minor}`);
}

/** Where it runs, as an operator would look it up: the session, the user unit, or the unit. */
export function holderPlace(holder: GpuHolder): string {
  if (holder.session !== null) return `session ${holder.session}`;
  if (holder.userUnit !== null && holder.unit !== null) return `${holder.unit}/${holder.userUnit}`;
  return holder.unit ?? holder.cgroup ?? 'an unknown cgroup';
}

/** One evidence line: PID, command, where it runs, what it holds. */
export function describeHolder(holder: GpuHolder): string {
  return `pid ${holder.pid} (${holder.command}) in ${holderPlace(holder)} holds ${holder.devices.join(', ')}`;
}

/**
 * The UIDs whose user manager runs a desktop holder of a compute GPU (Plasma 6's kwin_wayland and
 * plasmashell are user units): ending the session does not stop them while another session of the
 * user keeps user@UID.service alive, so compute stops that user's graphical-session.target.
 */
export function userManagersHoldingComputeGpus(holders: readonly GpuHolder[], gpus: readonly Gpu[] | null, config: Config): number[] {
  const compute = gpus?.filter((g) => config.hardware.computeGpus.includes(g.index)) ?? null;
  const onCompute = (h: GpuHolder) => (compute === null ? h.devices.some((d) => /^\/dev\/nvidia\d+$/.test(d)) : compute.some((g) => holdsGpu(h, g)));
  const uids = holders
    .filter((h) => holderRole(h, config) === 'desktop' && onCompute(h))
    .map((h) => USER_MANAGER_UID.exec(h.unit ?? '')?.[1])
    .filter((uid): uid is string => uid !== undefined)
    .map(Number);
  return [...new Set(uids)].sort((a, b) => a - b);
}

const USER_MANAGER_UID = /^user@(\d+)\.service$/;
