// mode request <mode> [--no-wait] [--no-grace] [--force]: record the desired mode, start its
// controller unit, follow the run and exit with its outcome.
import { basename } from 'node:path';
import { monotonicMs } from '../../effects/monotonic.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import type { RequestOutput } from '../../schemas/cli-output.ts';
import type { ModeName } from '../../schemas/names.ts';
import { loadConfig } from '../config/load.ts';
import { CliError } from '../errors.ts';
import { EXIT, exitForOutcome, exitName, type ExitCode } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { eventFeed } from './event-feed.ts';
import { lastRecordReader } from './last-record.ts';
import { follow, refusedByStartLimit, type Followed } from './follow.ts';
import { recordDesiredMode, requester } from './record-desired.ts';
import { outcomeLines, progressLine } from './render.ts';
import { controllerUnit, startControllerUnit } from './start-unit.ts';
import { unitState } from './unit-state.ts';
import { folderWake } from './wake.ts';

/** The unit's TimeoutStartSec=30min, and a little more. */
const FOLLOW_DEADLINE_MS = 32 * 60 * 1000;
/**
 * How often the unit is looked at once the run's record is written (cli/request/follow.ts), each time one
 * `systemctl show`. Measured in the sandbox: the controller appends its outcome event, clears its intent,
 * releases its lock and exits 10-20 ms after the record; the unit leaves activating then.
 */
const FOLLOW_SETTLE_MS = 10;

export async function run(inv: Invocation, io: Io): Promise<number> {
  const mode = inv.args.mode as ModeName;
  const json = flag(inv, 'json');
  // Progress goes where a person sees it: stdout, or stderr when stdout carries JSON.
  const say = (line: string) => (json ? io.err(`${line}\n`) : io.out(`${line}\n`));
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const { config } = await loadConfig(files.paths.configPath);
  const unit = controllerUnit(mode);
  // the one record store of this process: the last record is read and the desired mode recorded through it
  const store = createRecordStore(files.paths);
  const lastRecord = lastRecordReader(store, files.lastTransition);

  const noGrace = flag(inv, 'no-grace');
  // the warning protects the person at the desk from a request made elsewhere: only root may skip it
  if (noGrace && process.getuid?.() !== 0) {
    throw new CliError(EXIT.denied, '--no-grace is for root only: it ends a session someone is using without warning them', ['sudo mode request ' + mode + ' --no-grace, or leave it out: the user is warned and the switch goes ahead after the grace unless they refuse']);
  }
  const force = flag(inv, 'force');
  // --force travels in desired.json, which only root writes; a run started by a member of modectl records its mode without it
  if (force && process.getuid?.() !== 0) {
    throw new CliError(EXIT.denied, '--force is for root only: the run reads it from desired.json, which only root can write', [
      `sudo mode request ${mode} --force, or leave it out: the run drains the Slurm node and waits slurm.drainWaitSeconds for its jobs to end`,
    ]);
  }
  // Three reads the follower compares against, each independent of the others: taken together (one
  // `systemctl show` spawn, one record read, one stat), they cost the request the slowest of them, not the sum.
  // All before the desired mode is recorded, so a request that cannot read its unit records nothing.
  const [before, previous, feed] = await Promise.all([unitState(unit, config, io.env), lastRecord(), eventFeed(files.events)]);
  if ('error' in before) throw new CliError(EXIT.toolMissing, `cannot read the state of ${unit}: ${before.error}`);
  const desired = await recordDesiredMode(store, mode, requester(io.env), { noGrace, force });
  if (noGrace && !desired.recorded) throw new CliError(EXIT.internal, `--no-grace could not be recorded (${desired.note}), so the run would warn; nothing was started`);
  if (force && !desired.recorded) throw new CliError(EXIT.internal, `--force could not be recorded (${desired.note}), so the run would wait for the Slurm jobs; nothing was started`);
  const notes = desired.recorded ? [] : [desired.note];
  await startControllerUnit(mode, config, io.env);
  say(`requested ${mode}${desired.recorded ? ` (generation ${desired.recorded.generation})` : ''}: started ${unit}`);
  for (const note of notes) say(io.paint.dim(`  ${note}`));

  const finish = (code: ExitCode, fields: Pick<RequestOutput, 'waited' | 'outcome' | 'record' | 'unitExitStatus'>): number => {
    if (json) writeJson(io, { schemaVersion: 1, target: mode, unit, desired: desired.recorded, notes, ...fields, exit: { code, name: exitName(code) ?? 'unknown' } } satisfies RequestOutput);
    return code;
  };
  if (flag(inv, 'no-wait')) {
    say(io.paint.dim('  not waiting: mode status shows the outcome when the run ends'));
    return finish(EXIT.ok, { waited: false, outcome: null, record: null, unitExitStatus: null });
  }
  if (!feed.readable) say(io.paint.dim('  the audit log is not readable by this user: steps are shown when the run ends'));

  let stepsSeen = false;
  // last-transition.json renamed in and events.jsonl appended to (or rotated) wake the follower at
  // once; pollIntervalMs stays the longest it waits
  const wake = folderWake([
    { dir: files.paths.runtimeDir, names: [basename(files.lastTransition)] },
    { dir: files.paths.stateDir, names: [basename(files.events)] },
  ]);
  let followed: Followed;
  try {
    followed = await follow(
      {
        unitState: () => unitState(unit, config, io.env),
        lastRecord,
        newEvents: () => feed.poll(),
        wait: (ms) => wake.wait(ms),
        now: monotonicMs,
        pollMs: config.thresholds.pollIntervalMs,
        settleMs: Math.min(FOLLOW_SETTLE_MS, config.thresholds.pollIntervalMs),
        deadlineMs: FOLLOW_DEADLINE_MS,
      },
      { exitedAtUs: before.exitedAtUs, runId: previous?.runId ?? null, generation: desired.recorded?.generation ?? null },
      (progress) => {
        if (progress.kind === 'event' && progress.event.event === 'step') stepsSeen = true;
        // This request's own desired record was announced above.
        if (progress.kind === 'event' && progress.event.event === 'desired' && progress.event.generation === desired.recorded?.generation) return;
        const line = progressLine(progress, io.paint);
        if (line !== null) say(line);
      },
    );
  } finally {
    // every way out, the deadline's error too: an open watch would keep the CLI from exiting
    wake.close();
  }
  if (followed.record) {
    for (const line of outcomeLines(followed.record, stepsSeen, io.paint)) say(line);
    if (followed.record.target !== mode) say(io.paint.yellow(`the run reconciled to ${followed.record.target}, the newest desired mode, not to ${mode}`));
    return finish(exitForOutcome(followed.record.outcome), { waited: true, outcome: followed.record.outcome, record: followed.record, unitExitStatus: followed.unit.exitStatus });
  }
  // No record: the run ended before recording (busy writes none, a crash none either).
  if (refusedByStartLimit(followed.unit)) {
    say(io.paint.red(`start-limit-hit: ${unit} was started too often in the last minute, so systemd did not run it; nothing was changed`));
    say('  wait a minute and request again; mode status shows the machine and the last outcome');
    return finish(EXIT.busy, { waited: true, outcome: null, record: null, unitExitStatus: null });
  }
  const status = followed.unit.exitStatus;
  const code: ExitCode = status === EXIT.busy ? EXIT.busy : EXIT.unknown;
  say(
    status === EXIT.busy
      ? io.paint.red('busy: another controller run holds the lock; the desired mode is recorded and reconciled by a later run')
      : io.paint.red(`the run ended (${followed.unit.result}, exit status ${status ?? 'unknown'}) without recording an outcome; see journalctl -u ${unit}`),
  );
  return finish(code, { waited: true, outcome: status === EXIT.busy ? 'busy' : null, record: null, unitExitStatus: status });
}
