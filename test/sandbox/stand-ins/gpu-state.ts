// What the fake nvidia-smi reads to follow the sandbox: the processes in the
// cgroups of display-manager.service (the display server) and vllm.service,
// and the leader of every graphical logind session on seat0 (the session's
// compositor), asked from the sandbox's real systemd and logind. PIDs and
// names are those of the live processes (/proc/<pid>/cmdline), as the real
// tool reports them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { GpuControl } from './control.ts';
import type { FakeGpuProcess, FakeGpuState } from './nvidia-smi-render.ts';

const TOOL_ENV = { ...process.env, LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '', NO_COLOR: '1' };
const TOOL_TIMEOUT_MS = 5_000;

function tool(file: string, args: readonly string[]): string {
  return execFileSync(file, args, { env: TOOL_ENV, timeout: TOOL_TIMEOUT_MS, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `systemctl show` / `loginctl show-session` output: blocks of KEY=VALUE separated by blank lines. */
export function parseShowBlocks(text: string): Record<string, string>[] {
  return text
    .split(/\n\s*\n/)
    .map((block) =>
      Object.fromEntries(
        block
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ),
    )
    .filter((block) => Object.keys(block).length > 0);
}

function graphicalSessionLeaders(): number[] {
  const ids = tool('loginctl', ['list-sessions', '--no-legend'])
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((id): id is string => id !== undefined && id !== '');
  if (ids.length === 0) return [];
  return parseShowBlocks(tool('loginctl', ['show-session', '--property=Type', '--property=Seat', '--property=Leader', '--', ...ids]))
    .filter((s) => (s.Type === 'x11' || s.Type === 'wayland') && s.Seat === 'seat0')
    .map((s) => Number(s.Leader))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

function cgroupPids(controlGroup: string): number[] {
  if (!controlGroup) return [];
  try {
    return readFileSync(`/sys/fs/cgroup${controlGroup}/cgroup.procs`, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    // the unit has no cgroup (yet, or any more)
    return [];
  }
}

function processName(pid: number): string | null {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === undefined || argv0 === '' ? null : argv0;
  } catch {
    // exited between listing and reading
    return null;
  }
}

export function readGpuState(control: GpuControl, now: Date): FakeGpuState {
  const leaders = graphicalSessionLeaders();
  const units = parseShowBlocks(
    tool('systemctl', ['show', '--property=Id', '--property=ActiveState', '--property=ControlGroup', '--', 'display-manager.service', 'vllm.service']),
  );
  const processes: FakeGpuProcess[] = [];
  const add = (pids: readonly number[], type: FakeGpuProcess['type'], usedMiB: number) => {
    for (const pid of pids) {
      const name = processName(pid);
      if (name !== null) processes.push({ pid, type, name, usedMiB });
    }
  };
  const byId = (id: string) => units.find((u) => u.Id === id);
  const displayManager = byId('display-manager.service');
  add(cgroupPids(displayManager?.ControlGroup ?? ''), 'G', control.displayServerMiB);
  add(leaders, 'G', control.sessionMiB);
  add(cgroupPids(byId('vllm.service')?.ControlGroup ?? ''), 'C', control.vllmMiB);
  processes.push(...control.extraProcesses);
  return { now, displayActive: displayManager?.ActiveState === 'active', processes };
}
