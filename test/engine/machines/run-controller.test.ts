import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { controller } from '../../../machines/controller.ts';
import { OPERATION_SETTLE_MS } from '../../../machines/context-updates.ts';
import { runController } from '../../../machines/run-controller.ts';
import { classify } from '../../../predicates/classify.ts';
import { isTargetReached } from '../../../predicates/modes.ts';
import { SimulatedCrash } from '../../../simulation/faults.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import { DEFAULT_USER_SESSION } from '../../../simulation/world.ts';
import { workstationConfig as config } from '../support/config.ts';
import { schemaErrors } from '../support/schema.ts';

const host = (options: Partial<SimulatedHostOptions> = {}) => new SimulatedHost({ config, ...options });
const weightsOf = (h: SimulatedHost) =>
  Object.values(config.units.slices).map((id) => {
    const u = h.world.unit(id)!;
    return [id, u.cpuWeight, u.ioWeight];
  });

describe('runController on the simulated host', () => {
  it('walks desktop → studio-local → desktop → compute → desktop, each proven by a fresh observation', async () => {
    const h = host();
    for (const target of ['studio-local', 'desktop', 'compute', 'desktop'] as const) {
      const record = await runController(h, target);
      expect(record.outcome, JSON.stringify(record.firstFailedPredicate)).toBe('succeeded');
      expect(record.finalObservation?.mode).toBe(target);
      expect(isTargetReached(target, await h.observe(), config)).toBe(true);
      expect(schemaErrors('transition-record', record)).toEqual([]);
      expect(record.steps.every((s) => s.phase === 'apply' && s.ok)).toBe(true);
      // leaving the desktop for compute ends alice's session: she is warned, and after the grace a fresh observation decides
      const warned = target === 'compute' ? ['notice', 'observe'] : [];
      expect(record.phases.map((p) => p.name)).toEqual(['lock', 'desired', 'observe', ...warned, 'intent', 'apply', 'verify']);
      expect(h.lockHeld).toBe(false);
      expect(h.intent).toBeNull();
    }
    expect(h.records.map((r) => r.record.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(h.audit.filter((e) => e.event === 'outcome')).toHaveLength(4);
  });

  it('records noop and touches nothing when the target is already proven', async () => {
    const h = host({ mode: 'compute' });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('noop');
    expect(record.firstFailedPredicate).toBeNull();
    expect(h.performed).toEqual([]);
    expect(h.records).toHaveLength(1);
  });

  it('is busy, touching and writing nothing, while another run holds the lock', async () => {
    const h = host();
    const other = await h.lock();
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('busy');
    expect(record.firstFailedPredicate?.code).toBe('lock-held');
    expect(h.performed).toEqual([]);
    expect(h.records).toEqual([]);
    expect(h.lockHeld).toBe(true);
    if (other.acquired) await other.release();
  });

  it('is blocked by a hard guard, names it, and performs nothing', async () => {
    const h = host({ audioProcesses: [{ pid: 4242, name: 'reaper' }] });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'audio-active', message: 'audio process reaper (pid 4242) is running' });
    expect(h.performed).toEqual([]);
    expect(h.intents).toEqual([]);
    expect(schemaErrors('guard-report', h.records[0]!.guards)).toEqual([]);
    expect(h.lockHeld).toBe(false);
  });

  it('rolls back a failed overlay start to the exact prior weights and proves desktop again', async () => {
    const priors = { 'user.slice': { cpuWeight: null, ioWeight: null }, 'ai.slice': { cpuWeight: 100, ioWeight: null } };
    const h = host({ sliceWeights: priors, faults: { failStart: ['audio-priority.service'] } });
    const before = weightsOf(h);
    const record = await runController(h, 'studio-local');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'step-failed', path: ['steps', 'start-audio-priority-service'] });
    expect(record.firstFailedPredicate?.evidence[0]?.source).toMatchObject({ kind: 'command', exitCode: 1 });
    expect(weightsOf(h)).toEqual(before);
    expect(record.finalObservation?.mode).toBe('desktop');
    expect(record.steps.filter((s) => s.phase === 'rollback').map((s) => s.stepId)).toEqual([
      'start-audio-priority-service',
      'start-studio-local-policy-service',
      'set-weights-platform',
      'set-weights-ai',
      'set-weights-interactive',
    ]);
  });

  it('times out a vLLM that never gets ready, rolls back to desktop and proves it', async () => {
    const h = host({ faults: { vllmNeverReady: true } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate?.code).toBe('step-timeout');
    const timedOut = record.steps.find((s) => s.stepId === 'start-vllm-ready-service' && s.phase === 'apply')!;
    // the simulated start hangs until the chart's backstop: the vLLM budget plus the time an operation gets to settle
    expect(timedOut.durationMs).toBe(config.thresholds.stepTimeoutsMs.vllmReady + OPERATION_SETTLE_MS);
    expect(classify(await h.observe(), config).mode).toBe('desktop');
    expect(h.world.isActive('vllm.service')).toBe(false);
  });

  it('names the GPU still held when display memory is never released', async () => {
    const h = host({ faults: { gpuNotReleased: true } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'gpu-held', path: ['gpus', 0, 'processes'] });
    const wait = record.steps.find((s) => s.stepId === 'wait-gpu-released')!;
    expect(wait).toMatchObject({ ok: false });
    expect(wait.durationMs).toBeGreaterThanOrEqual(config.thresholds.stepTimeoutsMs.gpuRelease);
  });

  it('is degraded, not rolled-back, when the previous mode cannot be proven again', async () => {
    const h = host({ faults: { unknownFacts: [{ fact: 'units', fromObservation: 2 }] } });
    const record = await runController(h, 'studio-local');
    expect(record.outcome).toBe('degraded');
    expect(record.firstFailedPredicate?.code).toBe('fact-unknown');
    expect(record.finalObservation?.mode).toBe('unknown');
  });

  it('reconciles to the newest desired mode, not the one the instance was started for', async () => {
    const h = host();
    h.request('studio-local');
    const desired = h.request('compute');
    const record = await runController(h, 'studio-local', { generation: 1 });
    expect(record).toMatchObject({ target: 'compute', generation: desired.generation, outcome: 'succeeded' });
    const again = await runController(h, 'desktop', { generation: 1 });
    expect(again).toMatchObject({ target: 'compute', outcome: 'noop' });
    expect(h.performed.length).toBe(record.steps.filter((s) => s.action.kind !== 'wait').length);
  });

  it('dies at a failpoint leaving its intent, and the next run converges from there', async () => {
    const h = host({ faults: { dieAfterStep: 'isolate-compute-target' } });
    await expect(runController(h, 'compute', { failpoint: h.failpoint })).rejects.toBeInstanceOf(SimulatedCrash);
    expect(h.intent?.step).toBe('isolate-compute-target');
    expect(h.records).toEqual([]);
    expect(h.lockHeld).toBe(true);
    h.crash();
    h.faults = {};
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.from?.mode).toBe('degraded');
    expect(h.intent).toBeNull();
  });

  it('terminates only the seat0 user session and keeps the others', async () => {
    const tty = { ...DEFAULT_USER_SESSION, id: '7', type: 'tty', seat: null, remote: true, service: 'sshd' };
    const h = host({ sessions: [DEFAULT_USER_SESSION, tty] });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(h.performed.filter((a) => a.kind === 'terminate-session')).toEqual([{ kind: 'terminate-session', sessionId: '2', user: 'alice', seat: 'seat0' }]);
    expect(h.world.sessions.map((s) => s.id)).toEqual(['7']);
    expect(h.world.isActive('sshd.service')).toBe(true);
  });

  it('fails loudly when no host was provided to the chart', async () => {
    const actor = createActor(controller, {
      input: { config, target: 'desktop', runId: 'r', bootId: null, pid: 1, now: () => 0, wall: () => '2026-11-26T10:00:00.000Z' },
    });
    const done = toPromise(actor);
    actor.start();
    const record = await done;
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.message).toContain('the acquireLock actor was not provided');
  });
});
