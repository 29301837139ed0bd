// mode cancel: refuse the switch that is counting down to end a graphical
// session. Root writes the refusal itself; the session's own user asks
// systemd to start mode-cancel@<user>.service, which polkit allows only from
// that user's active local session (50-mode-controller.rules), and which
// writes it as `mode cancel --by <user>`. The controller ends the run as
// canceled when it reads a refusal of its own run by that user or root.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describeResult } from '../../effects/exec/command-result.ts';
import { runTool } from '../../effects/exec/run-tool.ts';
import { writeJsonAtomic } from '../../effects/records/atomic-write.ts';
import { readJsonFile } from '../../effects/records/read-json.ts';
import { cancelUnit, NOTICE_REQUEST_FILE, NoticeRequestFile, REFUSAL_FILE, type Refusal } from '../../schemas/notice.ts';
import type { Invocation } from '../command.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { optionValue } from '../parse.ts';
import { DENIED, POLKIT_RULE } from '../request/start-unit.ts';
import { recordFiles } from '../record-views/files.ts';

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export async function run(inv: Invocation, io: Io): Promise<number> {
  const runtimeDir = recordFiles(io.env, optionValue(inv, 'config')).paths.runtimeDir;
  const requestPath = join(runtimeDir, NOTICE_REQUEST_FILE);
  const read = await readJsonFile(requestPath, NoticeRequestFile);
  if (read.status !== 'ok') {
    if (read.code === 'missing') throw new CliError(EXIT.noInput, 'nothing to cancel: no switch is counting down to end a session', [`(a countdown leaves ${requestPath} while it lasts; mode status shows what the last run did)`]);
    throw new CliError(EXIT.dataError, read.reason);
  }
  const notice = read.value;
  const whose = `the graphical session ${notice.sessionId}${notice.user === null ? '' : ` of ${notice.user}`}`;
  const root = process.getuid?.() === 0;
  const by = optionValue(inv, 'by');
  if (by !== undefined) {
    if (!root) throw new CliError(EXIT.denied, '--by is for mode-cancel@<user>.service, which runs as root: run mode cancel without it');
    if (!USER_NAME.test(by)) throw new CliError(EXIT.usage, `--by ${JSON.stringify(by)} is not a user name`);
    if (by !== notice.user) throw new CliError(EXIT.denied, `${by} may not cancel: the switch to ${notice.target} ends ${whose}, and only its user or root may refuse it`);
  }
  if (root) {
    const refusal: Refusal = { schemaVersion: 1, runId: notice.runId, by: by ?? 'root', via: 'mode cancel', at: new Date().toISOString() };
    // volatile: /run (tmpfs); a power cut ends the run the refusal is for too
    const written = await writeJsonAtomic(join(runtimeDir, REFUSAL_FILE), refusal, 0o644, 'volatile');
    if (!written.ok) throw new CliError(EXIT.internal, `cannot write the refusal: ${written.failure.message}`);
    io.out(`refused: the switch to ${notice.target} will not end ${whose}; run ${notice.runId} ends as canceled\n`);
    return EXIT.ok;
  }
  const me = userInfo().username;
  if (me !== notice.user) throw new CliError(EXIT.denied, `only ${notice.user ?? "the session's user"} (or root) may cancel: the switch to ${notice.target} ends ${whose}, not a session of ${me}`);
  const unit = cancelUnit(me);
  const result = await runTool({ tool: 'systemctl', args: ['start', '--', unit], timeoutMs: 30_000, env: io.env });
  if (result.kind === 'ok') {
    io.out(`refused: the switch to ${notice.target} will not end ${whose}; run ${notice.runId} ends as canceled\n`);
    return EXIT.ok;
  }
  if (result.kind === 'missing-tool') throw new CliError(EXIT.toolMissing, describeResult(result));
  if ('stderr' in result && DENIED.test(`${result.stderr}\n${result.stdout}`)) {
    throw new CliError(EXIT.denied, `not allowed to start ${unit}: ${result.stderr.trim().split('\n')[0] ?? ''}`, [
      `polkit (${POLKIT_RULE}) lets ${me} refuse only from ${me}'s active session at this machine, not over SSH or from a session in the background`,
      'from elsewhere: sudo mode cancel',
    ]);
  }
  throw new CliError(EXIT.rejected, `systemctl could not start ${unit}: ${describeResult(result)}`);
}
