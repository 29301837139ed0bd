// dubnium.prom in the Prometheus text exposition format (0.0.4, what the
// node_exporter textfile collector parses): a HELP and a TYPE line for every
// family, base units in the names (seconds), counters ending in _total, and
// label values escaped. Pure: the model in, the file's text out.
import { DURATION_BUCKETS_SECONDS, type MetricsModel } from './model.ts';

export const METRICS_FILE = 'dubnium.prom';

type Labels = Record<string, string>;

// the format's escapes: backslash, double quote and newline in label values; backslash and newline in HELP
const escapeLabel = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
const escapeHelp = (text: string): string => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabel(v)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`;
}

function family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string, samples: readonly string[]): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`, ...samples];
}

// sorted, so two renders of the same records are the same bytes
const byLabels = <T>(items: readonly T[], key: (item: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export function renderMetrics(model: MetricsModel): string {
  const lines: string[] = [
    ...family('dubnium_mode_info', 'gauge', 'The mode the last observation proves (unknown when none is recorded); always 1.', [sample('dubnium_mode_info', { mode: model.observedMode }, 1)]),
    ...family(
      'dubnium_observation_timestamp_seconds',
      'gauge',
      'When the observation behind dubnium_mode_info was made, in seconds since the epoch.',
      model.observedAt === null ? [] : [sample('dubnium_observation_timestamp_seconds', {}, model.observedAt)],
    ),
    ...family(
      'dubnium_desired_mode_info',
      'gauge',
      'The mode last requested (desired.json); always 1, absent when none is recorded.',
      model.desiredMode === null ? [] : [sample('dubnium_desired_mode_info', { mode: model.desiredMode }, 1)],
    ),
    ...family('dubnium_pending', 'gauge', '1 while the desired mode is not yet reconciled or not observed, as mode status says pending; else 0.', [
      sample('dubnium_pending', {}, model.pending ? 1 : 0),
    ]),
    ...family(
      'dubnium_transitions_total',
      'counter',
      'Controller runs by the mode they started from, their target and their outcome, counted from the audit log.',
      byLabels(model.transitions, (t) => `${t.from} ${t.to} ${t.outcome}`).map((t) => sample('dubnium_transitions_total', { from: t.from, to: t.to, outcome: t.outcome }, t.count)),
    ),
    ...family(
      'dubnium_transition_duration_seconds',
      'histogram',
      'How long controller runs took, by target, from the audit log (busy runs excluded).',
      byLabels(model.durations, (d) => d.to).flatMap((d) => [
        ...DURATION_BUCKETS_SECONDS.map((bound, i) => sample('dubnium_transition_duration_seconds_bucket', { to: d.to, le: String(bound) }, d.buckets[i] ?? 0)),
        sample('dubnium_transition_duration_seconds_bucket', { to: d.to, le: '+Inf' }, d.count),
        sample('dubnium_transition_duration_seconds_sum', { to: d.to }, d.sum),
        sample('dubnium_transition_duration_seconds_count', { to: d.to }, d.count),
      ]),
    ),
    ...family(
      'dubnium_last_transition_timestamp_seconds',
      'gauge',
      'When the newest run with each outcome ended, in seconds since the epoch.',
      byLabels(model.lastTransition, (l) => l.outcome).map((l) => sample('dubnium_last_transition_timestamp_seconds', { outcome: l.outcome }, l.timestamp)),
    ),
    ...family(
      'dubnium_guard_blocks_total',
      'counter',
      'Runs blocked by each hard guard, by its code, counted from the audit log.',
      byLabels(model.guardBlocks, (g) => g.code).map((g) => sample('dubnium_guard_blocks_total', { code: g.code }, g.count)),
    ),
    ...family(
      'dubnium_gpu_holders',
      'gauge',
      "Processes holding each GPU in the last observation, by nvidia-smi's type (G, C, ...; unlisted: holding /dev/nvidiaN, not listed by nvidia-smi).",
      byLabels(model.gpuHolders ?? [], (h) => `${h.gpu} ${h.type}`).map((h) => sample('dubnium_gpu_holders', { gpu: h.gpu, type: h.type }, h.count)),
    ),
    ...family('dubnium_audit_skipped_lines', 'gauge', 'Audit log lines that could not be read and so are not in the counters.', [sample('dubnium_audit_skipped_lines', {}, model.auditSkippedLines)]),
  ];
  return `${lines.join('\n')}\n`;
}
