import { describe, expect, it } from 'vitest';
import { parseSystemctlShow } from '../../effects/observe/parsers/systemctl-show.ts';
import { unitsForRequest } from '../../effects/observe/parsers/units-for-request.ts';
import { splitLines } from '../../effects/observe/parsers/parse-result.ts';
import { real, synthetic } from './fixtures.ts';

const CONFIG_UNITS = [
  'desktop.target',
  'compute.target',
  'display-manager.service',
  'vllm.service',
  'vllm-ready.service',
  'studio-local-policy.service',
  'audio-priority.service',
  'interactive.slice',
  'ai.slice',
  'platform.slice',
  'sshd.service',
];

function statesOf(file: string, requested = CONFIG_UNITS) {
  const text = real(file);
  const shown = parseSystemctlShow(text);
  if (!shown.ok) throw new Error(shown.message);
  const states = unitsForRequest(requested, shown.value, splitLines(text));
  if (!states.ok) throw new Error(states.message);
  return new Map(states.value.map((s) => [s.id, s]));
}

describe('systemctl show (real systemd 252 output from the sandbox)', () => {
  it('reads blocks whose Result and weights come before Id, and targets without them', () => {
    const units = statesOf('e_systemctl_show/sandbox-252-boot-not-found-dm-targets-without-weights.txt');
    expect(units.get('desktop.target')).toEqual({
      id: 'desktop.target', loadState: 'loaded', activeState: 'inactive', subState: 'dead', result: null, cpuWeight: null, ioWeight: null,
    });
    expect(units.get('display-manager.service')).toEqual({
      id: 'display-manager.service', loadState: 'not-found', activeState: 'inactive', subState: 'dead', result: 'success', cpuWeight: null, ioWeight: null,
    });
    expect(units.get('ai.slice')).toMatchObject({ cpuWeight: 20, ioWeight: 20, result: null });
    expect(units.get('sshd.service')).toMatchObject({ activeState: 'active', subState: 'exited' });
    expect(units.size).toBe(11);
  });

  it('sees a failed overlay service and a running vllm', () => {
    const units = statesOf('e_systemctl_show/sandbox-252-failed-overlay-vllm-running.txt');
    expect(units.get('studio-local-policy.service')).toMatchObject({ activeState: 'failed', subState: 'failed', result: 'exit-code' });
    expect(units.get('vllm.service')).toMatchObject({ activeState: 'active', subState: 'running' });
    expect(units.get('audio-priority.service')).toMatchObject({ activeState: 'active', subState: 'exited' });
  });

  it('answers for an alias by its Names (display-manager.service is gdm.service), a masked unit and runtime weights', () => {
    const units = statesOf('e_systemctl_show/sandbox-252-names-alias-masked-runtime-weights.txt', [...CONFIG_UNITS, 'masked-thing.service']);
    expect(units.get('display-manager.service')).toMatchObject({ id: 'display-manager.service', loadState: 'loaded', activeState: 'active' });
    expect(units.get('masked-thing.service')).toMatchObject({ loadState: 'masked' });
    expect(units.get('interactive.slice')).toMatchObject({ cpuWeight: 1000, ioWeight: 800 });
    expect(units.get('platform.slice')).toMatchObject({ cpuWeight: 50, ioWeight: 50 });
    expect(units.get('ai.slice')).toMatchObject({ cpuWeight: null, ioWeight: null });
  });

  it('reads a weight reset with an empty assignment as not set', () => {
    expect(statesOf('e_systemctl_show/sandbox-252-weight-reset-with-empty-value.txt', ['interactive.slice']).get('interactive.slice')).toMatchObject({
      cpuWeight: null,
      ioWeight: null,
    });
  });

  it('reads the full property list of a service and a slice (values with "=", 18446744073709551615)', () => {
    const service = parseSystemctlShow(real('e_systemctl_show/sandbox-252-all-properties-service.txt'));
    expect(service.ok && service.value.map((u) => u.state)).toEqual([
      { id: 'vllm.service', loadState: 'loaded', activeState: 'active', subState: 'running', result: 'success', cpuWeight: null, ioWeight: null, allowIsolate: false },
    ]);
    const slice = parseSystemctlShow(real('e_systemctl_show/sandbox-252-all-properties-slice.txt'));
    expect(slice.ok && slice.value[0]!.state).toMatchObject({ id: 'ai.slice', cpuWeight: null });
  });

  it('reads the old spelling of "not set", UINT64_MAX, as null', () => {
    const parsed = parseSystemctlShow(synthetic('systemctl-show-old-uint64-weights.txt'));
    expect(parsed.ok && parsed.value[0]!.state).toMatchObject({ cpuWeight: null, ioWeight: null });
  });

  it('refuses a requested unit that systemctl did not answer for, instead of guessing it inactive', () => {
    const text = real('e_systemctl_show/sandbox-252-weight-reset-with-empty-value.txt');
    const shown = parseSystemctlShow(text);
    expect(shown.ok).toBe(true);
    const states = unitsForRequest(['interactive.slice', 'vllm.service'], shown.ok ? shown.value : [], splitLines(text));
    expect(states.ok).toBe(false);
    expect(!states.ok && states.message).toMatch(/did not answer for vllm\.service/);
  });

  it('names the line of a property it cannot read', () => {
    const text = real('e_systemctl_show/sandbox-252-weight-reset-with-empty-value.txt').replace('CPUWeight=[not set]', 'CPUWeight=lots');
    const parsed = parseSystemctlShow(text);
    expect(parsed).toMatchObject({ ok: false, line: 1 });
    expect(!parsed.ok && parsed.message).toMatch(/^line 1: CPUWeight: expected a weight/);
    const stderr = parseSystemctlShow(real('f_systemd_errors/devvm-systemctl-not-booted-with-systemd.stderr.txt'));
    expect(stderr).toMatchObject({ ok: false, line: 1 });
  });
});
