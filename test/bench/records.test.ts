// The round-trip split and the studio floor script, against the records of
// a real studio round trip made with `mode request` in the sandbox.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { studioFloorScript, studioRoundTripActions, studioRoundTripRequests, verifiedFloorScript } from '../../bench/lib/floor-script.ts';
import { directChildren, parseStrace } from '../../bench/lib/strace-processes.ts';
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

describe('the verified floor: per request the same systemctl calls, then one observation', () => {
  // the observer's own calls, as the bench takes them from the strace of one observation
  const observation = directChildren(parseStrace(readFileSync(join(import.meta.dirname, 'fixtures', 'strace-process.current-refresh.txt'), 'utf8'))).map((t) => [t.path, ...t.argv.slice(1)]);
  const requests = studioRoundTripRequests(config);

  it('splits the round trip into the two requests the controller recorded', () => {
    expect(requests.map((r) => r.target)).toEqual([toStudio.target, back.target]);
    expect(requests[0]?.actions).toEqual(toStudio.steps.map((s) => s.action));
    expect(requests[1]?.actions).toEqual(back.steps.map((s) => s.action));
  });

  it("makes the request's calls in order, stopping at a failure, then starts every observation tool at once and waits for each", () => {
    const script = verifiedFloorScript(requests[0]!, observation);
    const lines = script.split('\n');
    const calls = lines.filter((l) => l.startsWith('systemctl '));
    expect(calls.map((c) => c.replace(/^systemctl /, ''))).toEqual(toStudio.steps.map((s) => s.commands[0]?.argv.slice(1).join(' ')));
    expect(script).toMatch(/^set -e$/m);
    const started = lines.filter((l) => l.endsWith(' >/dev/null 2>&1 &'));
    expect(started).toHaveLength(5);
    expect(started[0]).toMatch(/^\/usr\/bin\/systemctl show --property=Id,Names,.* -- desktop\.target /);
    expect(lines.filter((l) => /^s=0; wait "\$p\d+" \|\| s=\$\?; ran "\$s" /.test(l))).toHaveLength(5);
    // every tool is started before the first is waited for
    expect(lines.findIndex((l) => l.startsWith('s=0; wait'))).toBeGreaterThan(lines.lastIndexOf(started.at(-1)!));
    expect(lines.findIndex((l) => l.endsWith('&'))).toBeGreaterThan(lines.lastIndexOf(calls.at(-1)!));
  });

  const observe = (argvs: string[][]) => spawnSync('/bin/sh', ['-c', verifiedFloorScript({ target: 'desktop', actions: [] }, argvs)], { encoding: 'utf8', timeout: 10_000 });

  it("accepts a tool's own failure, which the observer records as its answer", () => {
    const run = observe([['/bin/true'], ['/bin/sh', '-c', 'echo out; echo err >&2; exit 3'], ['/bin/false']]);
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
  });

  it('fails, naming the tool, when one could not run or was killed', () => {
    const missing = observe([['/bin/true'], ['/nonexistent/nvidia-smi', '-q', '-x']]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/verified floor: \/nonexistent\/nvidia-smi -q -x did not run \(status 127\)/);
    const killed = observe([['/bin/sh', '-c', 'kill -9 $$']]);
    expect(killed.status).toBe(1);
    expect(killed.stderr).toMatch(/did not run \(status 137\)/);
  });

  it('refuses to build a floor without the observation', () => {
    expect(() => verifiedFloorScript(requests[0]!, [])).toThrow(/needs the observer's tool calls/);
  });
});
