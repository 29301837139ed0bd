// `mode watch --json` beside the real controller: run outside the sandbox
// like a status bar, it follows desktop → studio-local → desktop through the
// records and audit log the controller writes inside, and tells each run's
// start, every step the run recorded, its outcome and each change of the
// observed mode, in order, every line of the published schema.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { WatchEvent } from '../../schemas/cli-watch.ts';
import { MODE_TS } from '../cli/support/cli.ts';
import { schemaErrors } from '../support/schema-errors.ts';
import { bootControllerSandbox, cliEnvFor, request, type ControllerSandbox } from './e2e.ts';
import { startLineChild } from '../cli/support/line-child.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: mode watch follows a switch to studio-local and back', () => {
  let sandbox: ControllerSandbox;
  let watch: ChildProcessWithoutNullStreams | null = null;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  });
  afterAll(async () => {
    if (watch !== null && watch.exitCode === null) watch.kill('SIGKILL');
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('tells the runs, their steps, their outcomes and the observed mode as they happen, and ends with 0 on SIGTERM', async () => {
    const { child, lines, stderr: stderrNow, exit: exited } = startLineChild(process.execPath, [MODE_TS, 'watch', '--json'], { ...cliEnvFor(sandbox), LANG: 'C' });
    watch = child;
    const events = (): WatchEvent[] => lines.map((line) => JSON.parse(line) as WatchEvent);
    await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(1), { timeout: 20_000, interval: 50 });
    expect(events()[0]).toMatchObject({ event: 'state', state: { observed: { mode: 'desktop' }, run: null } });

    const studio = await request(sandbox, 'studio-local');
    const back = await request(sandbox, 'desktop');
    expect([studio.record.outcome, back.record.outcome]).toEqual(['succeeded', 'succeeded']);
    const isOutcomeOf = (runId: string) => (e: WatchEvent) => e.event === 'outcome' && e.outcome.runId === runId;
    await vi.waitFor(() => expect(events().some(isOutcomeOf(back.record.runId))).toBe(true), { timeout: 20_000, interval: 50 });
    await vi.waitFor(() => expect(events().at(-1)?.state.observed?.mode).toBe('desktop'), { timeout: 20_000, interval: 50 });
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderrNow()).toBe('');

    const all = events();
    for (const event of all) expect(schemaErrors('cli-watch', event)).toEqual([]);
    const index = (predicate: (e: WatchEvent) => boolean): number => all.findIndex(predicate);
    for (const { record } of [studio, back]) {
      const ofRun = all.filter((e) => (e.event === 'run-started' && e.run.runId === record.runId) || ((e.event === 'step-started' || e.event === 'step-finished') && e.runId === record.runId) || isOutcomeOf(record.runId)(e));
      // the run's own events, in the order it made them
      expect(ofRun[0]).toMatchObject({ event: 'run-started', run: { target: record.target, generation: record.generation } });
      expect(ofRun.at(-1)).toMatchObject({ event: 'outcome', outcome: { outcome: 'succeeded', target: record.target, generation: record.generation }, state: { run: null } });
      const finished = ofRun.flatMap((e) => (e.event === 'step-finished' ? [`${e.phase} ${e.stepId} ${String(e.ok)}`] : []));
      expect(finished).toEqual(record.steps.map((step) => `${step.phase} ${step.stepId} ${String(step.ok)}`));
      for (const e of ofRun) if (e.event === 'step-finished') expect(e.durationMs).toBeGreaterThanOrEqual(0);
      // a step told as started is told before it finishes, and in a run that succeeded each one finishes
      for (const [i, e] of ofRun.entries()) {
        if (e.event !== 'step-started') continue;
        const end = ofRun.findIndex((f) => f.event === 'step-finished' && f.stepId === e.stepId && f.phase === e.phase);
        expect(end, `${e.phase} ${e.stepId}`).toBeGreaterThan(i);
      }
      // the desired mode was told before the run reconciled to it
      expect(index((e) => e.event === 'desired' && e.desired.generation === record.generation)).toBeLessThan(index((e) => e.event === 'run-started' && e.run.runId === record.runId));
    }
    const observed = all.flatMap((e) => (e.event === 'observed' ? [`${e.previousMode} -> ${e.observed.mode}`] : []));
    expect(observed).toEqual(['desktop -> studio-local', 'studio-local -> desktop']);
    // each change of the observed mode falls within the run that made it
    const studioSeen = index((e) => e.event === 'observed' && e.observed.mode === 'studio-local');
    expect(studioSeen).toBeGreaterThan(index((e) => e.event === 'run-started' && e.run.runId === studio.record.runId));
    expect(studioSeen).toBeLessThan(index((e) => e.event === 'run-started' && e.run.runId === back.record.runId));
    expect(all.filter((e) => e.event === 'outcome')).toHaveLength(2);
  }, 600_000);
});
