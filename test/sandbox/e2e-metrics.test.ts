// Issue 15 item 1, end to end: with config.metrics.enable the controller
// writes dubnium.prom into node_exporter's textfile folder at boot and after
// every run, and a real prometheus-node-exporter (Debian's), listening on
// loopback with only its textfile collector, serves what it says: the
// observed and desired mode, pending, and counters that follow a studio and
// a compute round trip. The counters come from the audit log: a new process
// (mode boot again) with the file gone writes the same numbers. A folder the
// controller cannot write is journaled and leaves the outcome as it was.
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ModeName } from '../../schemas/names.ts';
import { parseExposition, select, valueOf, type Sample } from '../fleet/exposition.ts';
import { NODE_EXPORTER, startNodeExporter, type NodeExporter } from '../fleet/node-exporter.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, request, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

const TEXTFILE_DIR = '/var/lib/prometheus-node-exporter/text';
const missing = [...sandboxPrerequisites(), ...(existsSync(NODE_EXPORTER) ? [] : [`${NODE_EXPORTER} missing: apt-get install prometheus-node-exporter`])];

describeWhen(missing, 'end to end: dubnium.prom through a real node_exporter', () => {
  let sandbox: ControllerSandbox;
  let exporter: NodeExporter | null = null;
  /** the folder as the exporter outside sees it: through the sandbox's root */
  let outside: string;

  beforeAll(async () => {
    sandbox = await bootControllerSandbox({
      config: (c) => ({ ...c, metrics: { enable: true, textfileDir: TEXTFILE_DIR } }),
      // what the NixOS module adds when dubnium.metrics.enable is set: a way through ProtectSystem=strict
      // for both writers, `-` so that a missing folder never keeps a switch from starting; and the folder
      // (there by tmpfiles on NixOS, here made before mode boot, the first writer)
      dropIns: [
        { unit: 'mode-boot.service', sections: { Service: [`ExecStartPre=+/bin/mkdir -p -m 0755 ${TEXTFILE_DIR}`, `ReadWritePaths=-${TEXTFILE_DIR}`] } },
        { unit: 'mode-controller@.service', sections: { Service: [`ReadWritePaths=-${TEXTFILE_DIR}`] } },
      ],
    });
    outside = `/proc/${sandbox.systemdPid}/root${TEXTFILE_DIR}`;
    exporter = await startNodeExporter(outside);
  }, 120_000);
  afterAll(async () => {
    await exporter?.stop();
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const scrape = async (): Promise<Sample[]> => parseExposition(await exporter!.scrape());
  const transitions = (samples: Sample[], to: ModeName): Record<string, number> =>
    Object.fromEntries(select(samples, 'dubnium_transitions_total', { to }).map((s) => [`${s.labels.from} → ${to}: ${s.labels.outcome}`, s.value]));
  const switchTo = async (mode: ModeName) => {
    const { record } = await request(sandbox, mode);
    expect({ outcome: record.outcome, final: record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', final: mode });
    return record;
  };
  const journalOf = async (unit: string): Promise<string> => {
    const result = await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', unit]);
    if (result.exitCode !== 0) throw new Error(describeResult(result));
    return result.stdout;
  };

  it('from boot on, the exporter serves the desktop the boot run proved, in sync, with no scrape error', async () => {
    const samples = await scrape();
    // the textfile collector read our file without complaint
    expect(valueOf(samples, 'node_textfile_scrape_error')).toBe(0);
    expect(select(samples, 'dubnium_mode_info')).toEqual([{ name: 'dubnium_mode_info', labels: { mode: 'desktop' }, value: 1 }]);
    expect(select(samples, 'dubnium_desired_mode_info')).toEqual([{ name: 'dubnium_desired_mode_info', labels: { mode: 'desktop' }, value: 1 }]);
    expect(valueOf(samples, 'dubnium_pending')).toBe(0);
    expect(valueOf(samples, 'dubnium_audit_skipped_lines')).toBe(0);
    // the boot run found the desktop already there
    expect(transitions(samples, 'desktop')).toEqual({ 'desktop → desktop: noop': 1 });
    // the sandbox's GPU stand-in: the display server and the compositor on GPU 0
    expect(valueOf(samples, 'dubnium_gpu_holders', { gpu: '0', type: 'G' })).toBe(2);
    expect(valueOf(samples, 'dubnium_gpu_holders', { gpu: '0', type: 'C' })).toBe(0);
    expect(readFileSync(`${outside}/dubnium.prom`, 'utf8')).toMatch(/^# HELP dubnium_mode_info /);
  }, 60_000);

  it('a studio round trip and a compute round trip are counted, timed and stamped', async () => {
    const started = Date.now() / 1000;
    await switchTo('studio-local');
    let samples = await scrape();
    expect(select(samples, 'dubnium_mode_info')).toEqual([{ name: 'dubnium_mode_info', labels: { mode: 'studio-local' }, value: 1 }]);
    expect(transitions(samples, 'studio-local')).toEqual({ 'desktop → studio-local: succeeded': 1 });
    await switchTo('desktop');
    await switchTo('compute');
    samples = await scrape();
    expect(select(samples, 'dubnium_mode_info')).toEqual([{ name: 'dubnium_mode_info', labels: { mode: 'compute' }, value: 1 }]);
    expect(select(samples, 'dubnium_desired_mode_info')).toEqual([{ name: 'dubnium_desired_mode_info', labels: { mode: 'compute' }, value: 1 }]);
    expect(valueOf(samples, 'dubnium_pending')).toBe(0);
    // in compute the display processes are gone and vLLM holds the GPU
    expect(valueOf(samples, 'dubnium_gpu_holders', { gpu: '0', type: 'G' })).toBe(0);
    expect(valueOf(samples, 'dubnium_gpu_holders', { gpu: '0', type: 'C' })).toBe(1);
    const finished = await switchTo('desktop');

    samples = await scrape();
    expect(select(samples, 'dubnium_mode_info')).toEqual([{ name: 'dubnium_mode_info', labels: { mode: 'desktop' }, value: 1 }]);
    expect(transitions(samples, 'desktop')).toEqual({ 'desktop → desktop: noop': 1, 'studio-local → desktop: succeeded': 1, 'compute → desktop: succeeded': 1 });
    expect(transitions(samples, 'studio-local')).toEqual({ 'desktop → studio-local: succeeded': 1 });
    expect(transitions(samples, 'compute')).toEqual({ 'desktop → compute: succeeded': 1 });
    // every run timed under its target: desktop's noop at boot and its two switches back
    expect(valueOf(samples, 'dubnium_transition_duration_seconds_count', { to: 'desktop' })).toBe(3);
    expect(valueOf(samples, 'dubnium_transition_duration_seconds_bucket', { to: 'compute', le: '+Inf' })).toBe(1);
    expect(valueOf(samples, 'dubnium_transition_duration_seconds_sum', { to: 'desktop' })).toBeGreaterThanOrEqual(finished.durationMs / 1000);
    const succeededAt = valueOf(samples, 'dubnium_last_transition_timestamp_seconds', { outcome: 'succeeded' });
    // the audit line is written right after the record
    expect(succeededAt).toBeGreaterThanOrEqual(Date.parse(finished.finishedAt) / 1000);
    expect(succeededAt).toBeGreaterThanOrEqual(started);
    expect(succeededAt).toBeLessThanOrEqual(Date.now() / 1000);
    expect(select(samples, 'dubnium_guard_blocks_total')).toEqual([]);
  }, 600_000);

  it('the counters come from the audit log: mode boot in a new process, with the file gone, writes the same', async () => {
    const before = select(await scrape(), 'dubnium_transitions_total');
    rmSync(`${outside}/dubnium.prom`);
    expect(select(await scrape(), 'dubnium_transitions_total')).toEqual([]);
    const restarted = await sandbox.systemctl(['restart', 'mode-boot.service']);
    expect(restarted.exitCode, describeResult(restarted)).toBe(0);
    await sandbox.waitUntil('mode boot wrote dubnium.prom again', () => Promise.resolve(existsSync(`${outside}/dubnium.prom`)), 30_000);
    const samples = await scrape();
    expect(select(samples, 'dubnium_transitions_total')).toEqual(before);
    expect(valueOf(samples, 'dubnium_pending')).toBe(0);
  }, 60_000);

  it('a folder the controller cannot write is journaled; the switch still succeeds and the old file stays', async () => {
    // the controller is root without CAP_DAC_OVERRIDE: a folder without write permission stops it
    chmodSync(outside, 0o555);
    try {
      const record = await switchTo('studio-local');
      expect(record.outcome).toBe('succeeded');
      const journal = await journalOf('mode-controller@studio-local.service');
      expect(journal).toMatch(/^fleet-unpublished \{"adapter":"metrics","trigger":"run","kind":"failed","reason":"cannot create temp file for \/var\/lib\/prometheus-node-exporter\/text\/dubnium\.prom\.tmp-\d+-[0-9a-f]+: permission denied/m);
      // what the exporter serves is the last file written: the desktop
      expect(select(await scrape(), 'dubnium_mode_info')).toEqual([{ name: 'dubnium_mode_info', labels: { mode: 'desktop' }, value: 1 }]);
    } finally {
      chmodSync(outside, 0o755);
    }
    await switchTo('desktop');
    const samples = await scrape();
    expect(select(samples, 'dubnium_mode_info')).toEqual([{ name: 'dubnium_mode_info', labels: { mode: 'desktop' }, value: 1 }]);
    // the unpublished run is in the counters all the same: they come from the log
    expect(transitions(samples, 'studio-local')).toEqual({ 'desktop → studio-local: succeeded': 2 });
  }, 300_000);
});
