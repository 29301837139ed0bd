// Doctor's two host checks: the placeholder hardware configuration, told by
// the marker it puts into /etc, and the audio state as the controller's unit
// last read it (its recorded observation, not doctor's own read).
import { describe, expect, it } from 'vitest';
import { controllerAudioCheck } from '../../cli/doctor/controller-audio-check.ts';
import { placeholderCheck } from '../../cli/doctor/placeholder-check.ts';
import { Config, type ConfigInput } from '../../schemas/config.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { SimulatedHost } from '../../simulation/host.ts';
import { readFileSync } from 'node:fs';

const config = Config.parse(JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')) as ConfigInput);
const BOOT = '0f5c6a1e-2b3d-4c5e-8f90-1a2b3c4d5e6f';
const path = '/run/mode-controller/last-observation.json';

async function recordWith(runId: string | null, audio: 'known' | 'unknown', bootId = BOOT): Promise<ObservationRecord> {
  const facts = await new SimulatedHost({ config, mode: 'desktop' }).observe();
  const audioStreams = audio === 'known' ? facts.audioStreams : ({ status: 'unknown', code: 'unreadable', reason: 'user 4242 has a user manager but no published audio state', source: { kind: 'file', path: '/run/dubnium-audio/4242/state.json' }, readAt: facts.observedAt } as const);
  return { schemaVersion: 1, runId, writtenAt: facts.observedAt, bootId, facts: { ...facts, audioStreams }, classification: { mode: 'desktop', reasons: [] } as unknown as ObservationRecord['classification'] };
}

describe('placeholder hardware configuration', () => {
  it('fails while the marker is in /etc, passes on NixOS without it, is unknown elsewhere', () => {
    expect(placeholderCheck({ marker: 'hosts/workstation/hardware-configuration.nix is the placeholder\n', nixos: true })).toMatchObject({ status: 'fail', message: expect.stringContaining('nixos-generate-config') as string });
    expect(placeholderCheck({ marker: null, nixos: true }).status).toBe('pass');
    expect(placeholderCheck({ marker: null, nixos: false }).status).toBe('unknown');
  });
});

describe("the audio state from the controller's unit", () => {
  it("passes on the unit's own read, fails on its unknown with the reason", async () => {
    expect(controllerAudioCheck({ status: 'ok', value: await recordWith('run-1', 'known') }, path, BOOT)).toMatchObject({ status: 'pass', message: expect.stringMatching(/^read by the unit \(written .* by run run-1\): \d+ streams?$/) as string });
    const failed = controllerAudioCheck({ status: 'ok', value: await recordWith('run-1', 'unknown') }, path, BOOT);
    expect(failed.status).toBe('fail');
    expect(failed.message).toMatch(/the controller's unit could not read it \(written .* by run run-1\), so compute stays blocked: user 4242 has a user manager but no published audio state/);
  });

  it('is unknown, never a pass, without a run of the unit in this boot', async () => {
    expect(controllerAudioCheck({ status: 'missing' }, path, BOOT).message).toMatch(/^no controller run has recorded an observation since boot; run `mode request desktop`/);
    expect(controllerAudioCheck({ status: 'ok', value: await recordWith(null, 'known') }, path, BOOT)).toMatchObject({ status: 'unknown', message: expect.stringContaining("outside the controller's unit") as string });
    expect(controllerAudioCheck({ status: 'unreadable', reason: 'x.json does not match its schema at /facts' }, path, BOOT)).toMatchObject({ status: 'unknown', message: expect.stringContaining('the record cannot be read: x.json does not match its schema') as string });
    expect(controllerAudioCheck({ status: 'ok', value: await recordWith('run-1', 'known', '11111111-2222-3333-4444-555555555555') }, path, BOOT)).toMatchObject({ status: 'unknown', message: expect.stringContaining('earlier boot') as string });
  });
});
