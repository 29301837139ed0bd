// dubnium.prom from the records: what each metric counts (from the audit log,
// so the numbers survive a reboot), when pending is 1, the GPU holders of the
// last observation; and that Prometheus' own promtool accepts the text.
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_SECONDS, metricsModel } from '../../effects/fleet/metrics/model.ts';
import { renderMetrics } from '../../effects/fleet/metrics/render.ts';
import { describeWhen } from '../sandbox/prerequisites.ts';
import { transition } from '../cli/support/records.ts';
import { PROMTOOL_MISSING, promtool } from './promtool.ts';
import { auditEvent, desired, gpu, holder, observation, outcomeEvent, snapshot } from './snapshot.ts';

/** The samples of one metric family as `name{labels} value` lines. */
const samples = (text: string, name: string): string[] => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

const rich = () =>
  snapshot({
    desired: desired('compute', 4),
    lastTransition: transition('compute', 4, 'blocked'),
    observation: observation('desktop', { gpus: [gpu(0, [{ pid: 10, type: 'G', name: 'kwin_wayland', usedMemoryMiB: 300 }])] }),
    events: [
      outcomeEvent({ from: 'desktop', to: 'compute', outcome: 'succeeded', durationMs: 42_000 }),
      outcomeEvent({ from: 'compute', to: 'desktop', outcome: 'succeeded', durationMs: 7_000 }),
      outcomeEvent({ from: 'desktop', to: 'compute', outcome: 'rolled-back', durationMs: 600_000 }),
      outcomeEvent({ from: 'desktop', to: 'compute', outcome: 'blocked', durationMs: 20, blockedBy: ['audio-active', 'model-missing'] }),
      outcomeEvent({ from: 'desktop', to: 'compute', outcome: 'busy', durationMs: 1_200_000 }),
      auditEvent('rejected', { outcome: 'rejected', reason: 'unknown mode "gamer"' }),
      auditEvent('recovered', { target: 'compute', outcome: 'recovered', detail: { observed: 'degraded' } }),
      auditEvent('desired', { target: 'compute', generation: 4 }),
    ],
  });

describe('the metrics model', () => {
  it('counts every run the audit log ends, by from, to and outcome', () => {
    const text = renderMetrics(metricsModel(rich()));
    expect(samples(text, 'dubnium_transitions_total')).toEqual([
      'dubnium_transitions_total{from="compute",to="desktop",outcome="succeeded"} 1',
      'dubnium_transitions_total{from="desktop",to="compute",outcome="blocked"} 1',
      'dubnium_transitions_total{from="desktop",to="compute",outcome="busy"} 1',
      'dubnium_transitions_total{from="desktop",to="compute",outcome="rolled-back"} 1',
      'dubnium_transitions_total{from="desktop",to="compute",outcome="succeeded"} 1',
      // a crashed run recovered later and a refused run never observed where they started
      'dubnium_transitions_total{from="unrecorded",to="compute",outcome="recovered"} 1',
      'dubnium_transitions_total{from="unrecorded",to="unrecorded",outcome="rejected"} 1',
    ]);
  });

  it('adds the same outcome up across lines, and reads lines written before the detail existed', () => {
    const model = metricsModel(
      snapshot({ events: [outcomeEvent({ to: 'desktop', outcome: 'noop' }), outcomeEvent({ to: 'desktop', outcome: 'noop' }), outcomeEvent({ to: 'desktop', outcome: 'noop', bare: true })] }),
    );
    expect(model.transitions).toEqual([
      { from: 'desktop', to: 'desktop', outcome: 'noop', count: 2 },
      { from: 'unrecorded', to: 'desktop', outcome: 'noop', count: 1 },
    ]);
    // the bare line has no duration: it is counted, not timed
    expect(model.durations).toEqual([{ to: 'desktop', buckets: DURATION_BUCKETS_SECONDS.map(() => 2), sum: 2, count: 2 }]);
  });

  it('times runs in cumulative buckets by target, leaving out busy runs (they only waited for the lock)', () => {
    const text = renderMetrics(metricsModel(rich()));
    const compute = samples(text, 'dubnium_transition_duration_seconds_bucket').filter((line) => line.includes('to="compute"'));
    // 0.02 s, 42 s and 600 s
    expect(compute).toEqual([
      'dubnium_transition_duration_seconds_bucket{to="compute",le="1"} 1',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="5"} 1',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="10"} 1',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="30"} 1',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="60"} 2',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="120"} 2',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="300"} 2',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="600"} 3',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="900"} 3',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="1800"} 3',
      'dubnium_transition_duration_seconds_bucket{to="compute",le="+Inf"} 3',
    ]);
    expect(samples(text, 'dubnium_transition_duration_seconds_sum')).toEqual(['dubnium_transition_duration_seconds_sum{to="compute"} 642.02', 'dubnium_transition_duration_seconds_sum{to="desktop"} 7']);
    expect(samples(text, 'dubnium_transition_duration_seconds_count')).toEqual(['dubnium_transition_duration_seconds_count{to="compute"} 3', 'dubnium_transition_duration_seconds_count{to="desktop"} 1']);
  });

  it('counts each hard guard of a blocked run once, and a blocked line without codes as unrecorded', () => {
    const model = metricsModel(
      snapshot({
        events: [
          outcomeEvent({ to: 'compute', outcome: 'blocked', blockedBy: ['audio-active', 'audio-active', 'gpu-held'] }),
          outcomeEvent({ to: 'compute', outcome: 'blocked', blockedBy: ['audio-active'] }),
          outcomeEvent({ to: 'compute', outcome: 'blocked', bare: true }),
          outcomeEvent({ to: 'compute', outcome: 'succeeded', blockedBy: ['not-a-block'] }),
        ],
      }),
    );
    expect(model.guardBlocks).toEqual([
      { code: 'audio-active', count: 2 },
      { code: 'gpu-held', count: 1 },
      { code: 'unrecorded', count: 1 },
    ]);
  });

  it('keeps the newest end of each outcome, whatever order the lines are in', () => {
    const model = metricsModel(
      snapshot({
        events: [outcomeEvent({ to: 'compute', outcome: 'degraded', at: 500 }), outcomeEvent({ to: 'compute', outcome: 'degraded', at: 100 }), outcomeEvent({ to: 'desktop', outcome: 'succeeded', at: 50 })],
      }),
    );
    const t0 = Date.parse('2026-12-03T12:00:00.000Z') / 1000;
    expect(model.lastTransition).toEqual([
      { outcome: 'degraded', timestamp: t0 + 500 },
      { outcome: 'succeeded', timestamp: t0 + 50 },
    ]);
  });

  it('is pending while a requested generation is unreconciled or its mode is not observed, as mode status says', () => {
    const pending = (patch: Parameters<typeof snapshot>[0]) => metricsModel(snapshot(patch)).pending;
    expect(pending({})).toBe(false);
    // at boot: desired recorded, /run new, no run yet
    expect(pending({ desired: desired('desktop', 1) })).toBe(true);
    expect(pending({ desired: desired('compute', 3), lastTransition: transition('compute', 2, 'succeeded'), observation: observation('compute') })).toBe(true);
    // reconciled but blocked: the desktop is still what is observed
    expect(pending({ desired: desired('compute', 3), lastTransition: transition('compute', 3, 'blocked'), observation: observation('desktop') })).toBe(true);
    expect(pending({ desired: desired('compute', 3), lastTransition: transition('compute', 3, 'succeeded'), observation: observation('compute') })).toBe(false);
  });

  it('takes the observed mode from the last observation, else the last run, else unknown', () => {
    expect(metricsModel(snapshot({ observation: observation('studio-local'), lastTransition: transition('compute', 1, 'succeeded') })).observedMode).toBe('studio-local');
    expect(metricsModel(snapshot({ lastTransition: transition('compute', 1, 'succeeded') })).observedMode).toBe('compute');
    expect(metricsModel(snapshot({})).observedMode).toBe('unknown');
    expect(metricsModel(snapshot({})).observedAt).toBeNull();
  });

  it('counts GPU holders by type, G and C always present, and /dev/nvidiaN holders nvidia-smi does not list as unlisted', () => {
    const gpus = [
      { ...gpu(0, [{ pid: 10, type: 'G' as const, name: 'Xwayland', usedMemoryMiB: 1 }, { pid: 11, type: 'C+G' as const, name: 'kwin', usedMemoryMiB: 1 }]), minorNumber: 0 },
      { ...gpu(1), minorNumber: 1 },
    ];
    // 10 is listed by nvidia-smi too; 20 holds GPU 0 from a container; 21 holds only nvidiactl; 22 holds GPU 1
    const holders = [holder(10, ['/dev/nvidia0', '/dev/nvidiactl']), holder(20, ['/dev/nvidia0']), holder(21, ['/dev/nvidiactl']), holder(22, ['/dev/nvidia1'])];
    const text = renderMetrics(metricsModel(snapshot({ observation: observation('desktop', { gpus, holders }) })));
    expect(samples(text, 'dubnium_gpu_holders')).toEqual([
      'dubnium_gpu_holders{gpu="0",type="C"} 0',
      'dubnium_gpu_holders{gpu="0",type="C+G"} 1',
      'dubnium_gpu_holders{gpu="0",type="G"} 1',
      'dubnium_gpu_holders{gpu="0",type="unlisted"} 1',
      'dubnium_gpu_holders{gpu="1",type="C"} 0',
      'dubnium_gpu_holders{gpu="1",type="G"} 0',
      'dubnium_gpu_holders{gpu="1",type="unlisted"} 1',
    ]);
    // unknown GPUs: no series, rather than zeros that would say "released"
    expect(metricsModel(snapshot({ observation: observation('desktop', { gpus: null }) })).gpuHolders).toBeNull();
  });
});

describe('the rendered text', () => {
  it('has a HELP and a TYPE line for every family, in the order the issue names them, even without samples', () => {
    const text = renderMetrics(metricsModel(snapshot({})));
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE '));
    expect(types).toEqual([
      '# TYPE dubnium_mode_info gauge',
      '# TYPE dubnium_observation_timestamp_seconds gauge',
      '# TYPE dubnium_desired_mode_info gauge',
      '# TYPE dubnium_pending gauge',
      '# TYPE dubnium_transitions_total counter',
      '# TYPE dubnium_transition_duration_seconds histogram',
      '# TYPE dubnium_last_transition_timestamp_seconds gauge',
      '# TYPE dubnium_guard_blocks_total counter',
      '# TYPE dubnium_gpu_holders gauge',
      '# TYPE dubnium_audit_skipped_lines gauge',
    ]);
    expect(text.split('\n').filter((line) => line.startsWith('# HELP '))).toHaveLength(types.length);
    expect(samples(text, 'dubnium_mode_info')).toEqual(['dubnium_mode_info{mode="unknown"} 1']);
    expect(samples(text, 'dubnium_pending')).toEqual(['dubnium_pending 0']);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('says the observed and desired modes as info series', () => {
    const text = renderMetrics(metricsModel(rich()));
    expect(samples(text, 'dubnium_mode_info')).toEqual(['dubnium_mode_info{mode="desktop"} 1']);
    expect(samples(text, 'dubnium_desired_mode_info')).toEqual(['dubnium_desired_mode_info{mode="compute"} 1']);
    expect(samples(text, 'dubnium_pending')).toEqual(['dubnium_pending 1']);
  });

  it('escapes label values from the log (backslash, quote, newline)', () => {
    const text = renderMetrics(metricsModel(snapshot({ events: [outcomeEvent({ to: 'compute', outcome: 'blocked', blockedBy: ['a"b\\c\nd'] })] })));
    expect(samples(text, 'dubnium_guard_blocks_total')).toEqual(['dubnium_guard_blocks_total{code="a\\"b\\\\c\\nd"} 1']);
  });

  it('renders the same records as the same bytes, whatever order the log holds them in', () => {
    const records = rich();
    const reversed = { ...records, audit: { ...records.audit, events: [...records.audit.events].reverse() } };
    expect(renderMetrics(metricsModel(reversed))).toBe(renderMetrics(metricsModel(records)));
  });

  it('counts the unreadable audit lines, which the counters leave out', () => {
    expect(samples(renderMetrics(metricsModel(snapshot({ skipped: 3 }))), 'dubnium_audit_skipped_lines')).toEqual(['dubnium_audit_skipped_lines 3']);
  });
});

describeWhen(PROMTOOL_MISSING, 'promtool check metrics', () => {
  it.each([
    ['no records at all (a first boot)', () => snapshot({})],
    ['a lab workstation with history', rich],
    ['a label value that needs escaping', () => snapshot({ events: [outcomeEvent({ to: 'compute', outcome: 'blocked', blockedBy: ['a"b\\c\nd'] })] })],
  ])('passes without a lint problem: %s', async (_name, make) => {
    const result = await promtool(['check', 'metrics'], renderMetrics(metricsModel(make())));
    expect(result).toEqual({ exitCode: 0, output: '' });
  });

  it('fails on what it should fail on (the check is real)', async () => {
    const broken = renderMetrics(metricsModel(rich())).replace('dubnium_transitions_total{', 'dubnium_transitions_total{from=');
    expect((await promtool(['check', 'metrics'], broken)).exitCode).not.toBe(0);
    // a counter without _total is a lint problem promtool reports
    const unsuffixed = '# HELP dubnium_runs Runs.\n# TYPE dubnium_runs counter\ndubnium_runs 1\n';
    expect(await promtool(['check', 'metrics'], unsuffixed)).toMatchObject({ exitCode: 3 });
  });
});
