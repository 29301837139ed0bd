// The one command table: parsing, --help, the man page, docs/cli.md, the
// shell completions and the dispatch to each verb's module are all driven by
// it, so they cannot drift apart. Plain data and lazy loaders only: it is on
// the startup path of every verb, and a verb's module (cli/<verb>/index.ts)
// is imported only when that verb runs.
import { MODES } from '../schemas/modes.ts';
import { DEBUG_PARSE_SOURCES } from '../schemas/debug-sources.ts';
import type { ArgumentSpec, CommandSpec, OptionSpec } from './command.ts';

export const DEBUG_SOURCES = DEBUG_PARSE_SOURCES;

export const EXPLAIN_FORMATS = ['text', 'mermaid', 'dot', 'json'] as const;
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const json: OptionSpec = { long: 'json', summary: 'print one JSON document on stdout (its schema is named below)' };
const modeArgument = (summary: string): ArgumentSpec => ({
  name: 'mode',
  required: true,
  summary,
  choices: MODES,
  complete: 'modes',
});

/** Options every verb accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'config',
    value: { name: 'FILE', complete: 'files' },
    summary: 'the controller config (default: $DUBNIUM_CONFIG, else /etc/dubnium/config.json)',
  },
  { long: 'help', short: 'h', summary: 'show help for the verb and exit' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['status'],
    summary: 'desired and observed mode, pending work, the last outcome',
    description: [
      'Shows, on one screen, the desired mode (with its generation), the last observed mode with the facts that prove it as a short table (each source named once below it), whether the machine is pending (the desired mode is not reached yet, or a run is in flight), the last outcome with its time, duration and first failed predicate, and the conflicts of a degraded observation.',
      'It reads the records only and runs no tool, so it is cheap enough for a prompt or a monitoring loop. Use `mode current --refresh` for a fresh observation.',
      'It first checks that the config can be read and has the config\'s shape; when it cannot, status says so in one line and exits `config` (`mode doctor` names every problem).',
    ],
    arguments: [],
    options: [{ long: 'verbose', short: 'v', summary: 'every evidence line with its whole source, and exact times' }, json],
    exits: ['ok', 'pending', 'degraded', 'unknown', 'config', 'internal'],
    examples: ['mode status', 'mode status --verbose', 'mode status --json | jq .pending'],
    jsonSchema: 'cli-status',
    load: () => import('./status/index.ts'),
  },
  {
    path: ['current'],
    summary: 'the observed mode and the facts behind it',
    description: [
      'Prints the mode the last observation proves, with the evidence of each fact. With --refresh it observes the machine now (one systemctl process, loginctl, nvidia-smi, ALSA, /proc/meminfo and the persistence paths) and classifies the facts; a source that cannot be read is reported as unknown with its reason, never guessed.',
    ],
    arguments: [],
    options: [{ long: 'refresh', summary: 'observe the machine now instead of reading the last observation' }, json],
    exits: ['ok', 'degraded', 'unknown', 'config', 'internal'],
    examples: ['mode current', 'mode current --refresh --json'],
    jsonSchema: 'cli-current',
    load: () => import('./current/index.ts'),
  },
  {
    path: ['desired'],
    summary: 'the desired mode and its generation',
    description: ['Prints the mode last requested, its generation, when and by whom. Nothing requested yet means the boot default applies.'],
    arguments: [],
    options: [json],
    exits: ['ok', 'internal'],
    examples: ['mode desired'],
    jsonSchema: 'cli-desired',
    load: () => import('./desired/index.ts'),
  },
  {
    path: ['explain'],
    summary: 'the chart, the path to a mode, its guards with live verdicts, the plan and the losses',
    description: [
      'Renders the controller chart with every state and guarded transition, observes the machine, and shows the path from the observed mode to <mode>: each guard on that path with its live verdict and evidence, the steps that would run in order, and what a user would lose (for example a graphical session that would be terminated). Nothing is changed.',
      'Formats: text (default), mermaid (a stateDiagram-v2; path edges are marked with a star and path states are highlighted), dot (Graphviz; path edges drawn thick), json.',
    ],
    arguments: [modeArgument('the mode to explain the way to')],
    options: [
      {
        long: 'format',
        value: { name: 'FORMAT', choices: EXPLAIN_FORMATS, complete: 'choices' },
        summary: 'text, mermaid, dot or json (default text)',
      },
      { ...json, summary: 'the same as --format json' },
    ],
    exits: ['ok', 'usage', 'config', 'internal'],
    examples: ['mode explain compute', 'mode explain compute --format dot | dot -Tsvg > chart.svg', 'mode explain studio-local --format mermaid'],
    jsonSchema: 'cli-explain',
    load: () => import('./explain/index.ts'),
  },
  {
    path: ['request'],
    summary: 'switch to a mode and follow the run to its outcome',
    description: [
      'Records <mode> as the desired mode (a member of modectl, who may not write the records, leaves that to the run, which records the mode of the unit it was started as), starts mode-controller@<mode>.service without blocking, and follows the run step by step, printing each step with its duration as it finishes (loading a model can take minutes). It then prints the outcome and exits with its status. It follows the run by inotify on the records folder and the audit log\'s folder, so a step is printed as it is logged and the command returns within a few ms of the unit\'s end; the unit is looked at at least every thresholds.pollIntervalMs, so it also ends where those folders cannot be watched.',
      'A switch that ends a graphical session someone is using (compute) first warns that user and waits notice.graceSeconds; they may refuse (mode cancel, or the notification\'s action), and the run then ends as canceled (exit 13). --no-grace (root only) skips the warning.',
      'On a Slurm node (slurm.enable), leaving compute first drains the node (reason "dubnium: <mode>") and waits slurm.drainWaitSeconds for its running jobs to end; jobs still running then block the switch (slurm-jobs-running, outcome blocked, exit 3), and so does a slurmctld that cannot be asked. --force (root only) goes on at once without waiting: no job is killed, the record names the jobs left running. Entering compute resumes the node once compute is proven.',
      'With --no-wait it returns as soon as the unit is started. Requesting needs root or membership of the group modectl, which the polkit rule 50-mode-controller.rules allows to start mode-controller@*.service.',
    ],
    arguments: [modeArgument('the mode to switch to')],
    options: [
      { long: 'no-wait', summary: 'return once the controller unit is started' },
      { long: 'no-grace', summary: 'root only: end a session someone is using without warning them or waiting' },
      { long: 'force', summary: 'root only: leave compute although Slurm jobs run on the node (none is killed; the record names them)' },
      json,
    ],
    exits: ['ok', 'blocked', 'rolledBack', 'degraded', 'busy', 'interrupted', 'canceled', 'rejected', 'unknown', 'usage', 'denied', 'toolMissing', 'config', 'internal'],
    examples: ['sudo mode request studio-local', 'mode request compute --json', 'mode request desktop --no-wait', 'sudo mode request desktop --force'],
    jsonSchema: 'cli-request',
    load: () => import('./request/index.ts'),
  },
  {
    path: ['cancel'],
    summary: 'refuse the switch that is counting down to end your session',
    description: [
      'A switch that ends a graphical session someone is using first warns that user with a desktop notification and waits (config notice.graceSeconds, default 60 s). During that countdown, mode cancel refuses it: the run ends as canceled and nothing is touched. The notification\'s "Keep my session" action does the same.',
      'Root may always cancel. The session\'s own user may cancel from that session at the machine: mode cancel starts mode-cancel@<user>.service, which the polkit rule 50-mode-controller.rules allows only for the user of an active local session. --by is what that unit passes; people do not need it.',
    ],
    arguments: [],
    options: [{ long: 'by', value: { name: 'USER', complete: 'none' }, summary: 'the user refusing (root only: what mode-cancel@<user>.service passes)' }],
    exits: ['ok', 'noInput', 'denied', 'usage', 'toolMissing', 'rejected', 'dataError', 'config', 'internal'],
    examples: ['mode cancel', 'sudo mode cancel'],
    load: () => import('./cancel/index.ts'),
  },
  {
    path: ['guards'],
    summary: 'dry run: the guards of a switch with live verdicts',
    description: [
      'Observes the machine and evaluates every guard of the switch to <mode>, with its severity, verdict and evidence. A guard whose fact is unknown fails closed and names the fact. Nothing is changed. The exit status says pass, soft-only or hard block.',
    ],
    arguments: [modeArgument('the mode whose guards to evaluate')],
    options: [json],
    exits: ['ok', 'softOnly', 'blocked', 'usage', 'config', 'internal'],
    examples: ['mode guards compute', 'mode guards compute --json | jq ".verdicts[] | select(.passed | not)"'],
    jsonSchema: 'cli-guards',
    load: () => import('./guards/index.ts'),
  },
  {
    path: ['history'],
    summary: 'past runs from the audit log',
    description: [
      'Reads the audit log (events.jsonl) and prints the latest events, newest last. Lines that cannot be read are skipped and counted.',
    ],
    arguments: [],
    options: [{ long: 'lines', short: 'n', value: { name: 'N', integer: { min: 1, max: 100_000 }, complete: 'none' }, summary: 'how many events to show (default 20)' }, json],
    exits: ['ok', 'internal'],
    examples: ['mode history', 'mode history -n 100 --json'],
    jsonSchema: 'cli-history',
    load: () => import('./history/index.ts'),
  },
  {
    path: ['evidence'],
    summary: 'one folder (and a .tar.gz) with everything to copy into an issue after a failure',
    description: [
      'Collects the plan\'s "Evidence to keep" into a new folder and writes <folder>.tar.gz beside it: mode status, mode current --json, mode history --json -n 50, the runtime records (last-transition.json, last-guards.json, last-observation.json, capability-placement.json, hardware-topology.json, desired.json), the config, systemctl status of the mode units, nvidia-smi and nvidia-smi -q -x, the journal of this boot of mode-controller@* and vllm.service (the last 5000 lines each), and the versions of systemctl, nvidia-smi and journalctl. Each piece keeps its exit status and stderr (manifest.json, <file>.stderr); one that fails or times out is recorded and the rest still run. README.txt says what each file is.',
      'Run it as root for the whole bundle; a user who is not root gets one without the audit log and the system units\' journal, and its README says so. It prints the folder and the archive, and exits 0 once both are written, whatever the pieces answered.',
    ],
    arguments: [],
    options: [{ long: 'output', short: 'o', value: { name: 'DIR', complete: 'files' }, summary: 'the folder to write; it must not exist or be empty (default: ./mode-evidence-<UTC time>)' }],
    exits: ['ok', 'usage', 'config', 'cantCreate', 'internal'],
    examples: ['sudo mode evidence', 'sudo mode evidence --output /tmp/failed-compute'],
    load: () => import('./evidence/index.ts'),
  },
  {
    path: ['watch'],
    summary: 'follow the machine live: each step, outcome and change of desired or observed mode',
    description: [
      'Prints the state once (observed and desired mode, a run in progress, the last outcome), then one line per event until interrupted: the desired mode changed, a run started, a step started or finished (with its duration), a run ended with an outcome, the observed mode changed. With --json each line is one JSON object carrying the event and the whole state after it, so a tray indicator or a Waybar module can render any line alone.',
      'It reads the same records as mode status and the audit log, and is woken by inotify when they change: no polling, so it costs nothing while the machine is idle. A records folder that does not exist yet is waited for. The steps of a run come from the state folder, readable by root and its group; other users see the desired mode, the outcomes and the observed mode. SIGINT or SIGTERM ends it with status 0.',
    ],
    arguments: [],
    options: [{ ...json, summary: 'print one JSON object a line (its schema is named below)' }],
    exits: ['ok', 'config', 'internal'],
    examples: ['mode watch', "mode watch --json | jq --unbuffered -c '{text: .state.observed.mode}'"],
    jsonSchema: 'cli-watch',
    load: () => import('./watch/index.ts'),
  },
  {
    path: ['doctor'],
    summary: 'check the config against the visible machine',
    description: [
      'The plan\'s phase 0.3 and 1.3 as checks: the configured GPUs are present and visible, the display GPU drives the display, the compute GPUs are present, the bootloader is systemd-boot with EFI variables, the persistence paths exist, the vLLM model is set, seeded and fits the compute GPUs, the audio state is readable (by the caller, and by the controller\'s unit in its last run), and the system was not built from the placeholder hardware-configuration.nix.',
      'Rival managers: tuned, power-profiles-daemon, TLP, GameMode, supergfxd, system76-power, optimus-manager, nvidia-powerd and auto-cpufreq are each named when active or enabled, with what they touch that Dubnium touches (their unit states, Conflicts= and config files); GPU and display-manager switchers fail, governor and power tuners warn (docs/doctor.md).',
      'Each check says pass, warn, fail or unknown and the fact behind it; a warn leaves the exit status at 0.',
    ],
    arguments: [],
    options: [json],
    exits: ['ok', 'checkFailed', 'unknown', 'config', 'internal'],
    examples: ['mode doctor', 'mode doctor --json'],
    jsonSchema: 'cli-doctor',
    load: () => import('./doctor/index.ts'),
  },
  {
    path: ['debug', 'parse'],
    summary: 'print the facts a parser extracts from a saved tool output',
    description: [
      'Runs one of the observer\'s parsers on a saved output (a file, or - for stdin) and prints the facts as JSON; this is what to attach to a bug report ("paste your nvidia-smi -q -x"). An unknown value is null, never 0. Input that is not the named format exits 65 with a message naming the line that could not be read.',
      'Sources: nvidia-smi-xml (nvidia-smi -q -x), nvidia-smi-gpus and nvidia-smi-apps (CSV from --query-gpu / --query-compute-apps; --fields names the columns when the file has no header), systemctl-show, loginctl-sessions, loginctl-session, alsa-status (/proc/asound/card*/pcm*p/sub*/status), meminfo, lspci, bootctl.',
    ],
    arguments: [
      { name: 'source', required: true, summary: 'the format of the saved output', choices: DEBUG_SOURCES, complete: 'choices' },
      { name: 'file', required: false, summary: 'the saved output; - or absent reads stdin', complete: 'files' },
    ],
    options: [
      {
        long: 'fields',
        value: { name: 'a,b,c', complete: 'none' },
        summary: 'the CSV columns, in order, when the file has no header',
      },
    ],
    exits: ['ok', 'dataError', 'noInput', 'usage', 'internal'],
    examples: ['nvidia-smi -q -x | mode debug parse nvidia-smi-xml', 'mode debug parse meminfo /proc/meminfo'],
    jsonSchema: 'debug-parse',
    load: () => import('./debug-parse/index.ts'),
  },
  {
    path: ['help'],
    summary: 'show help for a verb',
    description: ['Without a verb, lists every verb, the exit statuses and the environment. `mode <verb> --help` is the same as `mode help <verb>`.'],
    arguments: [{ name: 'verb', required: false, variadic: true, summary: 'the verb to describe', complete: 'verbs' }],
    options: [],
    exits: ['ok', 'usage'],
    examples: ['mode help request', 'mode help debug parse'],
    load: () => import('./help/index.ts'),
  },
  {
    path: ['completions'],
    summary: 'print a shell completion script',
    description: [
      'Prints a completion script for bash, zsh or fish, generated from the same table as --help.',
      'bash: mode completions bash > /etc/bash_completion.d/mode; zsh: mode completions zsh > "${fpath[1]}/_mode"; fish: mode completions fish > ~/.config/fish/completions/mode.fish.',
    ],
    arguments: [{ name: 'shell', required: true, summary: 'bash, zsh or fish', choices: SHELLS, complete: 'choices' }],
    options: [],
    exits: ['ok', 'usage'],
    examples: ['source <(mode completions bash)'],
    load: () => import('./completions/index.ts'),
  },
  {
    path: ['run'],
    summary: 'one controller run to a mode (what mode-controller@<mode>.service runs)',
    description: [
      'Records <mode> as the desired mode unless a request recorded since this run started names another (a start of the unit is a request), takes the controller lock (waiting up to 20 minutes for a run in progress), records a run that stopped without an outcome as recovered, reconciles the machine to the newest desired mode, records exactly one outcome in last-transition.json and the audit log, and exits with its status. SIGTERM stops it at the next step boundary with the outcome interrupted. An unknown mode or an invalid config is refused and audited as rejected. Every audit line is also printed, so the journal keeps the history. Once the outcome is recorded, the fleet adapters the config turns on (metrics.enable: dubnium.prom for node_exporter) are told; one that fails prints a fleet-unpublished line and the outcome stands. People use mode request instead.',
    ],
    // no choices here: run() refuses an unknown instance itself, so the refusal is audited as `rejected`
    arguments: [{ ...modeArgument('the mode of the unit instance: desktop, studio-local or compute'), choices: undefined }],
    options: [],
    exits: ['ok', 'blocked', 'rolledBack', 'degraded', 'busy', 'interrupted', 'usage', 'config', 'internal'],
    examples: ['systemctl start mode-controller@compute.service'],
    internal: true,
    load: () => import('./run/index.ts'),
  },
  {
    path: ['boot'],
    summary: 'apply the boot default mode (what mode-boot.service runs)',
    description: [
      'Reads boot.defaultMode from the config, records it as the desired mode and starts mode-controller@<mode>.service without waiting. The run it starts also recovers an intent left by a run that a crash or power loss interrupted.',
      'Once per boot: run again in the same boot (the unit restarted, or started again by a target), it records and starts nothing and says why, so the boot default never undoes a request made since (a switch to compute, a nixos-rebuild switch).',
      'Either way it tells the fleet adapters the config turns on (metrics.enable: dubnium.prom, with the counters the audit log keeps across reboots) before starting the run.',
    ],
    arguments: [],
    options: [],
    exits: ['ok', 'denied', 'toolMissing', 'config', 'internal'],
    examples: ['systemctl start mode-boot.service'],
    internal: true,
    load: () => import('./boot/index.ts'),
  },
];

/** The first words of every command people use (`debug` for `debug parse`), in table order. */
export const VERBS: readonly string[] = [...new Set(COMMANDS.filter((c) => !c.internal).map((c) => c.path[0]!))];

export const commandName = (command: CommandSpec): string => command.path.join(' ');

/** Environment variables that `mode` reads. */
export const ENVIRONMENT: readonly { name: string; meaning: string }[] = [
  { name: 'DUBNIUM_CONFIG', meaning: 'the config file (default /etc/dubnium/config.json); --config wins' },
  { name: 'RUNTIME_DIRECTORY', meaning: 'the runtime records (default /run/mode-controller)' },
  { name: 'STATE_DIRECTORY', meaning: 'the audit log and the intent journal (default /var/lib/mode-controller)' },
  { name: 'NO_COLOR', meaning: 'set and not empty: no colour (colour is used only on a terminal anyway)' },
  { name: 'MODE_DEBUG', meaning: 'set to 1: print the stack of an internal error' },
];
