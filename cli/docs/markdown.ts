// docs/cli.md, generated from the command table with a little prose around
// it, so that the reference, --help and the man page say the same thing.
import { EXIT, EXIT_MEANING, type ExitName } from '../exit-codes.ts';
import { FILES, TAGLINE, optionLabel } from '../help/text.ts';
import { usageLine } from '../parse.ts';
import type { CommandSpec } from '../command.ts';
import { COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS, commandName } from '../table.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

const INTRO = `# The \`mode\` command

\`mode\` — ${TAGLINE}. This page is generated from \`cli/table.ts\` (the same
table drives parsing, \`--help\`, \`docs/mode.1\`, the shell completions and
the dispatch to each verb's module, \`cli/<verb>/index.ts\`) by
\`npx node scripts/generate-cli-docs.ts\`; a test fails when it is stale.

## Conventions

- **Output.** Text for people on stdout; every verb that reports something
  takes \`--json\` and prints exactly one JSON document whose JSON Schema is
  published in \`schemas/json/\` (named under each verb). With \`--json\`, an
  error is also printed as \`{"error": {...}}\` (\`schemas/json/cli-error.schema.json\`),
  and \`mode request\` prints its live progress on stderr. \`mode watch --json\`
  is the one stream: one JSON object a line, until interrupted (docs/watch.md).
- **Errors.** An operator error never shows a stack trace: it names the
  problem and what to do (an unknown mode lists the valid ones; a bad config
  names the file, the JSON path and the problem; a missing tool names the
  tool). Internal errors say so; \`MODE_DEBUG=1\` adds the stack.
- **Colour** only on a terminal, and never when \`NO_COLOR\` is set to
  something.
- **Speed.** \`status\`, \`current\` (without \`--refresh\`), \`desired\` and
  \`history\` read the records only; they never load xstate, execa, ajv or zod
  (a test lists every module they load). Each verb's module is imported
  lazily, by its row of the table (its \`load\`), so they also never load the
  controller. \`npm run build\` (\`scripts/build-cli.ts\`) bundles the command
  into \`dist/cli/\`: the full CLI, code-split, and three single-file
  CommonJS bundles: \`read-only.cjs\`, all that \`status\`, \`current\` and
  \`desired\` run (\`history\` takes the full CLI); \`observation.cjs\`,
  \`current\` with its fresh observation (\`current --refresh\` runs there);
  and \`controller.cjs\`, what the units run, \`run\`, \`boot\` and
  \`cancel\`. \`cli/bundle-path.ts\` says which command lines each one runs.
  The first file, \`cli/mode-bin.js\` (ES5, so an
  old Node gets one line and exit 69), is copied to \`dist/cli/mode.cjs\`,
  package.json's bin and what the units run: it \`require()\`s
  \`bin-support.cjs\` and \`read-only.cjs\`, \`observation.cjs\` or
  \`controller.cjs\`, so neither a read-only verb, \`current --refresh\` nor a
  controller run starts Node's ESM loader; every other command line imports
  \`mode-main.js\` (an ES module: the package is
  \`"type": "module"\`) and its chunks. A controller run from
  \`controller.cjs\` instead of ~46 ES module chunks (issue 17), paired in the
  bench's sandbox (two sessions of 44 runs each, studio-local, desktop,
  compute, desktop, load 0.3–1.6, both with a CommonJS peak-RSS probe,
  \`--require\`): peak RSS median 62.6 → 60.5 and 62.6 → 60.6 MB, largest
  63.3 → 62.1 and 63.4 → 62.1 MB, the unit's start to the run's start
  159 → 139 and 142 → 127 ms; a request unchanged (763 → 731 and
  695 → 701 ms); it loads 104 of Node's modules instead of 117. The bench's own probe is a CommonJS \`--require\` too
  (\`bench/probes/peak-rss.cjs\`), since an \`--import\` preload starts the ESM
  loader in every run; \`npm run bench -- --rounds 5\` (11 runs, load 1.7–3)
  then says 59.3 MB median and 60.7 MB largest, where it said 62.2 and 62.5
  before (the chunks, an \`--import\` probe): the 60 MB of issue 17 is not
  yet met by the largest run. Records and the config's
  shape are checked by walking the view's JSON Schema
  (\`cli/record-views/schema-check.ts\`); ajv's precompiled validator
  (\`cli/record-views/validators.generated.js\`, from \`schemas/cli-views.ts\`,
  the same schema) is loaded only to decide a no and name the problem. A
  user's Node compile cache lives in \`~/.cache/dubnium-mode\` (never for root,
  whose cache another user could plant in a shared folder).
  Where a cold \`mode status\` went, measured with \`--cpu-prof\`, strace and
  hyperfine on the 2-core development VM (Node 22.23.3, stdout a pipe, a real
  observation, the inspection files and the lock file, medians of 20–30 runs
  beside \`node -e 0\` at 16.6–18 ms): 60 ms before (3.4–3.6×; 56–59 ms,
  3.3–3.4×, with the compile cache); now \`mode.cjs\` 26 ms (1.46–1.56×; 25 ms,
  1.48×, with the cache; 29.6 ms, 1.65×, from an ES module first file). The steps: one
  read-only file instead of 22 ESM chunks (−7 ms); Node's builtins reached
  through \`require\`, because an ESM import of \`node:fs\` or \`node:util\` reads
  every export and their lazy ones load streams, \`fs/promises\`, readline and
  worker_threads (−4 ms); sync reads of the few small files; stdout and
  stderr written with write(2) (\`cli/std-write.ts\`), not through Node's
  stdio streams (−2.5 ms); the JSON Schema walk instead of parsing and
  compiling 350 KB of ajv code (−10 ms); \`/proc/locks\` read only when a
  holder note says a run may hold the lock (a process's first read of it
  often sleeps 10–20 ms in this VM's kernel); a CommonJS first file (−3 ms).
  What is left is compiling the 88 KB bundle (~2 ms) and the command's own
  work (~5 ms: the config check, five records, rendering). A V8 startup
  snapshot (\`node --snapshot-blob\`, the read-only code as one CommonJS file)
  was measured too and gained nothing over that file loaded normally (37 ms
  each; the 5.8 MB blob costs what it saves), and it would need its own flag
  on every command line and a blob per Node binary: not used.
  A cold \`mode current --json --refresh\` (issue 17) is measured against the
  observation floor, \`node -e 0\` plus the observer's own tool calls started
  at once (\`bench/inside/observe-floor.mjs\`). Before, at 214 ms as root and
  192 ms with the compile cache beside a 96 ms floor (2.2×, 2.0×), it was
  CPU-bound in Node: the ESM loader compiling ~20 chunks, zod building every
  schema at load and parsing, the XML reader, the \`/proc\` scans. The steps,
  on the same VM with the example config and the captured
  tools of \`test/fixtures/real-outputs\` as \`config.tools\` (30 interleaved
  runs, load average 2–3), with zod's schemas already built interpreted
  (\`cli/zod-interpreted.ts\`): the observation bundle instead of the chunks
  (207 → 152 ms); the XML reader by character code (a 94 KB
  \`nvidia-smi -q -x\` read cold in 14.8 ms instead of 16.8); each
  \`/proc/PID/fd\` link and each \`/proc/PID/comm\` read synchronously, not as
  a thread-pool round trip and a promise each (the two scans 29.5 → 18.3 ms and
  18.9 → 5.8 ms); in all 170 → 132 ms (CPU, with the tools, 218 → 164 ms)
  beside a 47 ms floor of those fake tools. In the bench's sandbox
  (\`npm run bench -- --rounds 5\`, the shipped form now \`mode.cjs\`, on a
  machine shared with other work, load 2–4.8, the floor at 115–197 ms, three
  runs): 1.49–1.76× its floor as root and 1.42–1.71× with the compile cache,
  where it was 2.04× and 1.93× (load 1.5): not yet the 1.2× of issue 17, and
  five rounds on a loaded machine move it by a third. What is left, by
  \`--cpu-prof\`: evaluating the bundle (~25 ms, most of it zod building the
  schemas of \`schemas/records.ts\`, \`facts.ts\` and \`config.ts\`, all of
  which load because the observation's record is checked before it is
  written), compiling it (~15 ms without the compile cache when it was
  354 KB, 250 KB of it zod; 256 KB since zod is imported as a namespace, and
  a refresh ~10 ms less CPU), garbage collection (~12 ms; a larger young generation,
  \`--min-semi-space-size=16\`, did not help), the spawns (~11 ms, in the
  floor too), the config's and the record's zod parse (~7 ms) and the XML
  (~5–10 ms for that 94 KB capture). Since then (issue 17, the bench sandbox,
  40 interleaved runs a side, twice, load 0.7–1.5: 152.9 → 144.4 and
  162.4 → 149.9 ms): the record's schemas (\`records.ts\`, \`facts.ts\`, ~13 ms
  of zod) are built while the tools run, not before they start
  (\`cli/current/keep-observation.ts\` is imported once \`observeFacts\` has
  started them, and the observers' audio-state schema takes \`CommandEvidence\`
  from its own module); \`nvidia-smi\`, the slowest tool, starts first; the XML
  reader ends names with a sticky regexp (docs/observation.md). What is left
  is the order itself: \`nvidia-smi\` starts 33–50 ms after Node is up, behind
  the bundle's compile (~8 ms), the modules, zod and the config's schema
  (~15 ms) and the config (~5 ms); the other tools' starts take the main
  thread ~15 ms more (each spawn waits on its fork and exec), and ~20 ms
  follow its answer (its XML, the record's zod parse and write, the output).
  Only starting it before the config is read would take more, and its path
  and timeout come from the config.
- **Who records the desired mode.** Every start of
  \`mode-controller@<mode>.service\` is a request for \`<mode>\`. \`mode request\`
  as root records it (a new generation, with the requesting user) before it
  starts the unit; only root can write \`/run/mode-controller\`. A member of
  \`modectl\` (polkit lets them start the unit, nothing else) records nothing:
  the controller run records its own instance when it starts
  (\`via: "unit-start"\`, \`requestedBy: null\`, since systemd does not say who
  started a unit), unless \`desired.json\` holds a request made after the run's
  unit started, which wins. \`mode request\` says which of the two happened and,
  at the end, which mode the run reconciled to. See docs/records.md, "Desired
  mode".
- **Permissions.** Reading is open to every user (\`/run/mode-controller\` is
  0755, its records 0644; the audit log in \`/var/lib/mode-controller\` is
  root's and its group's). Requesting a mode needs root or the group
  \`modectl\`, which the polkit rule \`50-mode-controller.rules\` allows to start
  \`mode-controller@<mode>.service\` and nothing else.
- **Completions.** \`mode completions bash|zsh|fish\` prints a script generated
  from the same table: \`source <(mode completions bash)\`,
  \`mode completions zsh > "\${fpath[1]}/_mode"\`,
  \`mode completions fish > ~/.config/fish/completions/mode.fish\`.
`;

function verb(command: CommandSpec): string[] {
  const lines = [`### \`mode ${commandName(command)}\``, '', command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + '.', '', '```', usageLine(command), '```', ''];
  for (const para of command.description) lines.push(para, '');
  const rows = [
    ...command.arguments.map((a) => [`\`<${a.name}>\``, `${a.summary}${a.choices ? ` (${a.choices.join(', ')})` : ''}${a.required ? '' : '; optional'}`]),
    ...command.options.map((o) => [`\`${optionLabel(o)}\``, o.summary]),
  ];
  if (rows.length > 0) lines.push('| argument / option | meaning |', '| --- | --- |', ...rows.map(([a, b]) => `| ${cell(a!)} | ${cell(b!)} |`), '');
  lines.push(`Exit status: ${command.exits.map((e) => `${EXIT[e]} (${e})`).join(', ')}.${command.jsonSchema ? ` JSON Schema: \`schemas/json/${command.jsonSchema}.schema.json\`.` : ''}`, '');
  lines.push('```sh', ...command.examples, '```', '');
  return lines;
}

export function cliMarkdown(): string {
  const exits = (Object.keys(EXIT) as ExitName[]).sort((a, b) => EXIT[a] - EXIT[b]);
  return [
    INTRO,
    '## Options of every verb',
    '',
    '| option | meaning |',
    '| --- | --- |',
    ...GLOBAL_OPTIONS.map((o) => `| \`${optionLabel(o)}\` | ${cell(o.summary)} |`),
    '| `--version` | print the version and exit (before a verb) |',
    '',
    '## Exit status',
    '',
    'Decided in one place, `cli/exit-codes.ts`. 1 is only ever an internal error (Node exits 1 on a crash too), 2 a usage error; the domain answers start at 3, and the `sysexits.h` numbers are used for input, tools, permission and config.',
    '',
    '| status | name | meaning |',
    '| --- | --- | --- |',
    ...exits.map((e) => `| ${EXIT[e]} | ${e} | ${cell(EXIT_MEANING[e])} |`),
    '',
    'Per verb: `request` exits with its outcome (succeeded/noop 0, blocked 3, rolled-back 4, degraded 5, busy 6, interrupted/recovered 10, rejected 11); `guards` with its verdict (pass 0, soft-only 8, hard-block 3); `current` and `status` with the observed mode (a mode 0, degraded 5, unknown 9) and `status` with 7 while pending; `doctor` 12 when a check fails, else 9 when one is unknown.',
    '',
    '## Verbs',
    '',
    ...COMMANDS.filter((c) => !c.internal).flatMap(verb),
    '## Run by the systemd units',
    '',
    ...COMMANDS.filter((c) => c.internal).flatMap(verb),
    '## Environment',
    '',
    '| variable | meaning |',
    '| --- | --- |',
    ...ENVIRONMENT.map((e) => `| \`${e.name}\` | ${cell(e.meaning)} |`),
    '',
    '## Files',
    '',
    '| path | what |',
    '| --- | --- |',
    ...FILES.map((f) => `| \`${f.path}\` | ${cell(f.meaning)} |`),
    '',
  ].join('\n');
}
