// The round-trip split and the studio floor script, against the records of
// a real studio round trip made with `mode request` in the sandbox.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { studioFloorScript, studioRoundTripActions } from '../../bench/lib/floor-script.ts';
import { splitRun } from '../../bench/lib/record-split.ts';
import { Config, type ConfigInput } from '../../schemas/config.ts';
import { TransitionRecord } from '../../schemas/records.ts';

const fixture = (name: string) => TransitionRecord.parse(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')));
const toStudio = fixture('last-transition.studio-local.json');
const back = fixture('last-transition.desktop-from-studio.json');
// The fixtures were captured when the studio slice was interactive.slice at baseline 100/100; the
// floor script is derived from the config, so it is checked against the config of that capture.
const current = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'workstation.config.json'), 'utf8')) as ConfigInput;
const config = Config.parse({
  ...current,
  units: { ...current.units, slices: { ...current.units.slices, interactive: 'interactive.slice' } },
  slices: { ...current.slices, baseline: { ...current.slices.baseline, interactive: { cpuWeight: 100, ioWeight: 100 } } },
});

describe('where a request spends its time, from its record', () => {
  it('splits the recorded run into unit waits, unit jobs and the controller, which add up to the record', () => {
    for (const record of [toStudio, back]) {
      const split = splitRun(record, record.durationMs + 1234);
      expect(split.waitStepsMs + split.unitJobsMs + split.controllerMs).toBeCloseTo(record.durationMs, 6);
      expect(split.outsideRecordMs).toBeCloseTo(1234, 6);
      expect(split.unitJobsMs).toBeGreaterThan(0);
      expect(split.controllerMs).toBeGreaterThan(0);
      expect(split.steps.map((s) => s.stepId)).toEqual(record.steps.map((s) => s.stepId));
    }
  });

  it('counts wait steps as waiting on units and the systemctl jobs of the others', () => {
    const split = splitRun(toStudio, toStudio.durationMs);
    expect(split.waitStepsMs).toBe(0);
    expect(split.unitJobsMs).toBeCloseTo(toStudio.steps.flatMap((s) => s.commands).reduce((sum, c) => sum + c.durationMs, 0), 6);
    const withWait = { ...toStudio, steps: [...toStudio.steps, { ...toStudio.steps[0]!, stepId: 'wait-x', action: { kind: 'wait' as const, until: 'gpu-released' as const, timeoutMs: 1000 }, durationMs: 500 }] };
    expect(splitRun(withWait, 0).waitStepsMs).toBe(500);
  });
});

describe('the studio floor script', () => {
  it('makes exactly the calls the controller made for desktop -> studio-local -> desktop', () => {
    const controllerActions = [...toStudio.steps, ...back.steps].map((s) => s.action);
    expect(studioRoundTripActions(config)).toEqual(controllerActions);
  });

  it('writes one systemctl line per call with the actuator argv, and stops at the first failure', () => {
    const script = studioFloorScript(config);
    const commands = script.split('\n').filter((l) => l.startsWith('systemctl '));
    expect(commands).toHaveLength(toStudio.steps.length + back.steps.length);
    expect(script).toMatch(/^set -e$/m);
    expect(commands[0]).toBe('systemctl set-property --runtime -- interactive.slice CPUWeight=1000 IOWeight=800');
    const argvs = [...toStudio.steps, ...back.steps].map((s) => s.commands[0]?.argv.slice(1).join(' '));
    expect(commands.map((c) => c.replace(/^systemctl /, ''))).toEqual(argvs);
  });
});
