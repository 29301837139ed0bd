// What the bundle holds: the plan's "Evidence to keep" (and issue 14's list),
// one piece a file. Plain data, so the README and the tests read the same list.
import { RUNTIME_FILES } from '../../effects/records/paths.ts';

/** Lines kept of each journal: enough for a few runs, bounded for an issue. */
export const JOURNAL_LINES = 5000;
export const TOOL_TIMEOUT_MS = 15_000;
export const JOURNAL_TIMEOUT_MS = 30_000;

/** The units whose `systemctl status` is kept: the targets, the overlay, vLLM and every controller run. */
export const MODE_UNITS = ['desktop.target', 'compute.target', 'vllm.service', 'vllm-ready.service', 'studio-local-policy.service', 'audio-priority.service', 'mode-boot.service', 'mode-controller@*.service', 'interactive.slice', 'ai.slice', 'platform.slice'] as const;

export type Source =
  /** a `mode` verb, run in this process */
  | { kind: 'verb'; argv: readonly string[] }
  /** a record file copied as it is */
  | { kind: 'runtime-file'; name: string }
  | { kind: 'config-file' }
  /** an external program: its config.tools key, looked up as the observers look up theirs */
  | { kind: 'program'; tool: 'systemctl' | 'nvidiaSmi' | 'journalctl'; args: readonly string[]; timeoutMs: number };

export interface Piece {
  readonly file: string;
  readonly what: string;
  readonly source: Source;
  /** what a user who is not root may miss in it */
  readonly asUser?: string;
}

const journal = (unit: string): readonly string[] => ['-u', unit, '-b', '--no-pager', '-o', 'short-iso-precise', '-n', String(JOURNAL_LINES)];

const runtimeFile = (name: string, what: string): Piece => ({ file: name, what, source: { kind: 'runtime-file', name } });

export const PIECES: readonly Piece[] = [
  { file: 'status.txt', what: '`mode status --verbose`: desired, observed, pending, last outcome', source: { kind: 'verb', argv: ['status', '--verbose'] } },
  { file: 'current.json', what: '`mode current --json`: the last observed mode and its facts', source: { kind: 'verb', argv: ['current', '--json'] } },
  { file: 'history.json', what: '`mode history --json -n 50`: the last 50 audit events', source: { kind: 'verb', argv: ['history', '--json', '-n', '50'] }, asUser: 'the audit log is readable by root only: empty, with exit 77' },
  runtimeFile(RUNTIME_FILES.lastTransition, 'the last run: its outcome, steps, first failed predicate and evidence'),
  runtimeFile(RUNTIME_FILES.lastGuards, 'the guards of the last run with their verdicts'),
  runtimeFile(RUNTIME_FILES.lastObservation, 'the last observation: every fact with its evidence'),
  runtimeFile(RUNTIME_FILES.capabilityPlacement, 'where each capability runs (studio, vLLM, k3s)'),
  runtimeFile(RUNTIME_FILES.hardwareTopology, 'the GPUs and their roles as the controller sees them'),
  runtimeFile(RUNTIME_FILES.desired, 'the desired mode and its generation'),
  { file: 'config.json', what: 'the controller config', source: { kind: 'config-file' } },
  { file: 'systemctl-status.txt', what: `\`systemctl status\` of ${MODE_UNITS.join(', ')} (exit 3 only means one is inactive)`, source: { kind: 'program', tool: 'systemctl', args: ['status', '--no-pager', '--full', '--lines=50', ...MODE_UNITS], timeoutMs: TOOL_TIMEOUT_MS } },
  { file: 'nvidia-smi.txt', what: '`nvidia-smi`: the GPUs and the processes on them', source: { kind: 'program', tool: 'nvidiaSmi', args: [], timeoutMs: TOOL_TIMEOUT_MS } },
  { file: 'nvidia-smi-q.xml', what: '`nvidia-smi -q -x`: every GPU property, as XML', source: { kind: 'program', tool: 'nvidiaSmi', args: ['-q', '-x'], timeoutMs: TOOL_TIMEOUT_MS } },
  { file: 'journal-mode-controller.txt', what: `\`journalctl -u 'mode-controller@*' -b\`, the last ${JOURNAL_LINES} lines of this boot`, source: { kind: 'program', tool: 'journalctl', args: journal('mode-controller@*'), timeoutMs: JOURNAL_TIMEOUT_MS }, asUser: 'journalctl shows a user outside the systemd-journal and adm groups no system unit\'s lines' },
  { file: 'journal-vllm.txt', what: `\`journalctl -u vllm.service -b\`, the last ${JOURNAL_LINES} lines of this boot`, source: { kind: 'program', tool: 'journalctl', args: journal('vllm.service'), timeoutMs: JOURNAL_TIMEOUT_MS }, asUser: 'as for the controller\'s journal' },
  { file: 'version-systemctl.txt', what: '`systemctl --version`', source: { kind: 'program', tool: 'systemctl', args: ['--version'], timeoutMs: TOOL_TIMEOUT_MS } },
  { file: 'version-nvidia-smi.txt', what: '`nvidia-smi --version`', source: { kind: 'program', tool: 'nvidiaSmi', args: ['--version'], timeoutMs: TOOL_TIMEOUT_MS } },
  { file: 'version-journalctl.txt', what: '`journalctl --version`', source: { kind: 'program', tool: 'journalctl', args: ['--version'], timeoutMs: TOOL_TIMEOUT_MS } },
];
