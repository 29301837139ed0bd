// Who holds a GPU, judged by where systemd runs each process (never by its
// name), which node of which GPU it holds, how it is named in evidence, and
// whose user manager compute must stop.
import { describe, expect, it } from 'vitest';
import { describeHolder, holderPlace, holderRole, holdsGpu, userManagersHoldingComputeGpus } from '../../../predicates/gpu-holders.ts';
import type { GpuHolder } from '../../../schemas/facts.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { gpu } from '../support/facts.ts';

const holder = (patch: Partial<GpuHolder> = {}): GpuHolder => ({ pid: 1, command: 'p', uid: 1000, devices: ['/dev/nvidia0', '/dev/nvidiactl'], cgroup: null, unit: null, userUnit: null, session: null, ...patch });

describe('the role of a holder', () => {
  it('vLLM’s unit is vLLM; the display manager, a session, a user manager and a bare user slice are the desktop; the rest is other', () => {
    expect(holderRole(holder({ unit: config.units.vllm }), config)).toBe('vllm');
    expect(holderRole(holder({ unit: config.units.displayManager }), config)).toBe('desktop');
    expect(holderRole(holder({ unit: 'session-3.scope', session: '3' }), config)).toBe('desktop');
    expect(holderRole(holder({ unit: 'user@1000.service', userUnit: 'plasma-kwin_wayland.service' }), config)).toBe('desktop');
    expect(holderRole(holder({ cgroup: '/user.slice/user-1000.slice' }), config)).toBe('desktop');
    for (const other of [
      holder({ unit: 'nvidia-persistenced.service', cgroup: '/system.slice/nvidia-persistenced.service' }),
      holder({ unit: 'user@.service' }),
      holder({ unit: 'xuser@1000.service' }),
      holder({ unit: 'user@1000.services' }),
      holder({ cgroup: '/system.slice/user.slice.d' }),
      holder(),
    ]) {
      expect(holderRole(other, config), JSON.stringify(other)).toBe('other');
    }
  });
});

describe('which GPU a holder holds', () => {
  it('its own numbered node when the minor is known, any numbered node when it is not; control nodes hold none', () => {
    expect(holdsGpu(holder(), { ...gpu(0), minorNumber: 0 })).toBe(true);
    expect(holdsGpu(holder(), { ...gpu(1), minorNumber: 1 })).toBe(false);
    expect(holdsGpu(holder({ devices: ['/dev/nvidia3'] }), { ...gpu(1), minorNumber: null })).toBe(true);
    expect(holdsGpu(holder({ devices: ['/dev/nvidia3'] }), { ...gpu(1), minorNumber: undefined })).toBe(true);
    for (const devices of [['/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia-modeset'], ['/dev/nvidia0x'], ['x/dev/nvidia0']]) {
      expect(holdsGpu(holder({ devices }), { ...gpu(0), minorNumber: null }), devices.join()).toBe(false);
    }
  });
});

describe('how a holder is named', () => {
  it('by its session, its user unit, its unit or its cgroup, in that order', () => {
    expect(holderPlace(holder({ session: '3', unit: 'session-3.scope' }))).toBe('session 3');
    expect(holderPlace(holder({ unit: 'user@1000.service', userUnit: 'plasma-plasmashell.service' }))).toBe('user@1000.service/plasma-plasmashell.service');
    expect(holderPlace(holder({ unit: 'display-manager.service' }))).toBe('display-manager.service');
    expect(holderPlace(holder({ userUnit: 'x.service', cgroup: '/odd' }))).toBe('/odd');
    expect(holderPlace(holder())).toBe('an unknown cgroup');
    expect(describeHolder(holder({ pid: 9, command: 'Xorg', unit: 'display-manager.service' }))).toBe('pid 9 (Xorg) in display-manager.service holds /dev/nvidia0, /dev/nvidiactl');
  });
});

describe('the user managers compute must stop', () => {
  const split = withConfig((c) => {
    c.hardware.presentGpus = [0, 1];
    c.hardware.computeGpus = [1];
  });
  const inManager = (uid: number, devices: string[]) => holder({ uid, devices, unit: `user@${uid}.service`, userUnit: 'plasma-kwin_wayland.service' });
  it('those whose desktop holders hold a compute GPU, each once, in order', () => {
    const holders = [inManager(1001, ['/dev/nvidia1']), inManager(1000, ['/dev/nvidia1']), inManager(1000, ['/dev/nvidia1']), inManager(1002, ['/dev/nvidia0']), holder({ unit: split.units.vllm, devices: ['/dev/nvidia1'] })];
    const gpus = [{ ...gpu(0), minorNumber: 0 }, { ...gpu(1), minorNumber: 1 }];
    expect(userManagersHoldingComputeGpus(holders, gpus, split)).toEqual([1000, 1001]);
  });
  it('without the GPU list, any numbered node counts', () => {
    expect(userManagersHoldingComputeGpus([inManager(1002, ['/dev/nvidia0']), inManager(1003, ['/dev/nvidiactl'])], null, split)).toEqual([1002]);
  });
  it('a desktop holder outside a user manager names no manager', () => {
    expect(userManagersHoldingComputeGpus([holder({ unit: 'session-3.scope', session: '3' })], null, split)).toEqual([]);
  });
});
