// The GPU holders collector and its /proc/PID/cgroup parser: on a fake /proc
// whose fd entries are symlinks like the kernel's, and on this machine's real
// /proc as an unprivileged user, who cannot read root's descriptors.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGpuHolders } from '../../effects/observe/collect-gpu-holders.ts';
import { observeContext } from '../../effects/observe/observe-facts.ts';
import { parseProcCgroup, placementOf } from '../../effects/observe/parsers/proc-cgroup.ts';
import { REPO_ROOT } from '../sandbox/layout.ts';
import { testConfig } from './test-config.ts';

const V2 = (path: string) => `0::${path}\n`;
// a hybrid host (cgroup v1 controllers, systemd's own hierarchy, and the unified one), as /proc/self/cgroup reads here
const HYBRID = (path: string) => `9:name=systemd:${path}\n5:devices:/\n4:memory:/\n1:cpu:/\n0::${path}\n`;

describe('parseProcCgroup', () => {
  it('finds the unit, the user unit and the session', () => {
    expect(parseProcCgroup(V2('/system.slice/display-manager.service'))).toEqual({
      ok: true,
      value: { cgroup: '/system.slice/display-manager.service', unit: 'display-manager.service', userUnit: null, session: null },
    });
    expect(parseProcCgroup(HYBRID('/user.slice/user-1000.slice/user@1000.service/session.slice/plasma-kwin_wayland.service'))).toMatchObject({
      ok: true,
      value: { unit: 'user@1000.service', userUnit: 'plasma-kwin_wayland.service', session: null },
    });
    expect(placementOf('/user.slice/user-1000.slice/session-c2.scope')).toMatchObject({ unit: 'session-c2.scope', session: 'c2' });
    expect(placementOf('/user.slice/user-1000.slice')).toMatchObject({ unit: null, userUnit: null, session: null });
    // seen from outside a cgroup namespace, with the namespace's own path in front
    expect(placementOf('/dubnium-sandbox-x/ai.slice/vllm.service')).toMatchObject({ unit: 'vllm.service' });
  });

  it('falls back to the name=systemd hierarchy on a host without the unified line', () => {
    expect(parseProcCgroup('1:name=systemd:/system.slice/vllm.service\n2:cpu:/\n')).toMatchObject({ ok: true, value: { unit: 'vllm.service' } });
  });

  it('refuses text that is not /proc/PID/cgroup, or that no systemd manages', () => {
    expect(parseProcCgroup('hello\n')).toMatchObject({ ok: false, message: expect.stringContaining('line 1') as unknown });
    expect(parseProcCgroup('4:memory:/x\n')).toMatchObject({ ok: false, message: expect.stringContaining('no cgroup v2 line') as unknown });
  });
});

describe('collectGpuHolders', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  function fakeProc(processes: { pid: number; comm: string; cgroup: string; fds: Record<string, string> }[]): string {
    const root = mkdtempSync(join(tmpdir(), 'dubnium-gpu-holders-'));
    folders.push(root);
    writeFileSync(join(root, 'meminfo'), 'MemTotal: 1 kB\n');
    for (const p of processes) {
      mkdirSync(join(root, String(p.pid), 'fd'), { recursive: true });
      writeFileSync(join(root, String(p.pid), 'comm'), `${p.comm}\n`);
      writeFileSync(join(root, String(p.pid), 'cgroup'), p.cgroup);
      for (const [fd, target] of Object.entries(p.fds)) symlinkSync(target, join(root, String(p.pid), 'fd', fd));
    }
    return root;
  }

  const collect = (pids: string, timeoutMs = 5_000) => collectGpuHolders(observeContext(testConfig(), { roots: { pids }, timeoutMs }));

  it('lists each process holding a /dev/nvidia* node, with its command and where systemd runs it', async () => {
    const root = fakeProc([
      { pid: 1, comm: 'systemd', cgroup: V2('/init.scope'), fds: { 0: '/dev/null', 3: 'socket:[123]' } },
      { pid: 812, comm: 'Xorg', cgroup: HYBRID('/system.slice/display-manager.service'), fds: { 11: '/dev/nvidiactl', 12: '/dev/nvidia0', 13: '/dev/nvidia-modeset', 14: '/dev/nvidia0' } },
      { pid: 1311, comm: 'kwin_wayland', cgroup: V2('/user.slice/user-1000.slice/user@1000.service/session.slice/plasma-kwin_wayland.service'), fds: { 20: '/dev/nvidia0' } },
      { pid: 4100, comm: 'VLLM::EngineCor', cgroup: V2('/ai.slice/vllm.service'), fds: { 30: '/dev/nvidia-uvm', 31: '/dev/nvidia1' } },
    ]);
    const fact = await collect(root);
    expect(fact).toMatchObject({ status: 'known', source: { kind: 'file', path: `${root}/*/fd` } });
    expect(fact.status === 'known' && fact.value).toEqual([
      { pid: 812, command: 'Xorg', uid: 0, devices: ['/dev/nvidia-modeset', '/dev/nvidia0', '/dev/nvidiactl'], cgroup: '/system.slice/display-manager.service', unit: 'display-manager.service', userUnit: null, session: null },
      {
        pid: 1311,
        command: 'kwin_wayland',
        uid: 0,
        devices: ['/dev/nvidia0'],
        cgroup: '/user.slice/user-1000.slice/user@1000.service/session.slice/plasma-kwin_wayland.service',
        unit: 'user@1000.service',
        userUnit: 'plasma-kwin_wayland.service',
        session: null,
      },
      { pid: 4100, command: 'VLLM::EngineCor', uid: 0, devices: ['/dev/nvidia-uvm', '/dev/nvidia1'], cgroup: '/ai.slice/vllm.service', unit: 'vllm.service', userUnit: null, session: null },
    ]);
  });

  it('skips a process that exited while it was read, and is an empty list when no one holds a GPU', async () => {
    const root = fakeProc([{ pid: 5, comm: 'bash', cgroup: V2('/user.slice/user-1000.slice/session-2.scope'), fds: { 0: '/dev/pts/0' } }]);
    // a numbered folder without fd/ is what a process that just exited leaves behind
    mkdirSync(join(root, '77'));
    expect(await collect(root)).toMatchObject({ status: 'known', value: [] });
  });

  it('is unknown, naming the capabilities, when a process cannot be read (this machine, as user nobody)', () => {
    // root's processes' descriptors are closed to other users: exactly what the controller's unit would see without its capabilities
    const script = join(mkdtempSync(join(tmpdir(), 'dubnium-gpu-holders-nobody-')), 'run.ts');
    folders.push(join(script, '..'));
    chmodSync(join(script, '..'), 0o755);
    writeFileSync(
      script,
      [
        `import { collectGpuHolders } from '${REPO_ROOT}/effects/observe/collect-gpu-holders.ts';`,
        `import { observeContext } from '${REPO_ROOT}/effects/observe/observe-facts.ts';`,
        `import { testConfig } from '${REPO_ROOT}/test/observe/test-config.ts';`,
        `process.stdout.write(JSON.stringify(await collectGpuHolders(observeContext(testConfig(), { timeoutMs: 20_000 }))));`,
      ].join('\n'),
    );
    chmodSync(script, 0o644);
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', join(REPO_ROOT, 'node_modules/.bin/node'), script], { encoding: 'utf8', timeout: 30_000, cwd: '/' });
    const fact = JSON.parse(out) as { status: string; code: string; reason: string };
    expect(fact).toMatchObject({ status: 'unknown', code: 'unreadable' });
    expect(fact.reason).toContain('pid 1: EACCES');
    expect(fact.reason).toContain('CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE');
  });
});
