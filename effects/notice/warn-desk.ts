// The real host's warn(): the controller's side of a warning. It cannot reach
// the user's session bus itself (ProtectHome=yes hides /run/user), so it
// writes the warning to its runtime folder (notice.json), (re)starts
// dubnium-notice@<uid>.service, which shows it as that user, and follows two
// files by inotify until the chart's countdown ends: the agent's answer.json
// (shown, not shown, refused from the notification) and refusal.json, which
// `mode cancel` writes. Only a refusal of this run by the session's own user
// (or root) counts; polkit already lets no one else start mode-cancel@.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NoticeDelivery, NoticeReport } from '../../machines/host.ts';
import {
  NOTICE_ANSWER_FILE,
  NOTICE_ANSWER_ROOT,
  NOTICE_REQUEST_FILE,
  NoticeAnswer,
  REFUSAL_FILE,
  Refusal,
  noticeUnit,
  type NoticeRequestFile,
} from '../../schemas/notice.ts';
import type { ToolPaths } from '../../schemas/config.ts';
import { describeResult, type RunCommand } from '../exec/command-result.ts';
import { watchFolder } from '../folder-watch.ts';
import { monotonicMs } from '../monotonic.ts';
import { writeJsonAtomic } from '../records/atomic-write.ts';
import { readJsonFile } from '../records/read-json.ts';

export interface DeskOptions {
  runtimeDir: string;
  /** /run/dubnium-notice; tests point it elsewhere */
  answerRoot?: string;
  run: RunCommand;
  tools?: ToolPaths | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  now: () => Date;
  /** how long the agent may take to say whether it showed the warning */
  answerTimeoutMs?: number;
  /** bound on each systemctl call */
  systemctlTimeoutMs?: number;
}

export function warnDesk(options: DeskOptions, delivery: NoticeDelivery, report: (event: NoticeReport) => void, signal: AbortSignal): void {
  void follow(options, delivery, report, signal);
}

async function follow(options: DeskOptions, delivery: NoticeDelivery, report: (event: NoticeReport) => void, signal: AbortSignal): Promise<void> {
  const requestPath = join(options.runtimeDir, NOTICE_REQUEST_FILE);
  const refusalPath = join(options.runtimeDir, REFUSAL_FILE);
  const systemctl = (args: string[]) =>
    options.run({ tool: 'systemctl', args, timeoutMs: options.systemctlTimeoutMs ?? 10_000, tools: options.tools, env: options.env });
  let settled = false;
  const say = (event: NoticeReport) => {
    if (signal.aborted || settled) return;
    if (event.type !== 'NOTICE_SHOWN') settled = event.type === 'REFUSED';
    report(event);
  };
  if (delivery.uid === null) {
    say({ type: 'NOTICE_UNDELIVERED', reason: `logind does not say which uid owns session ${delivery.sessionId}, so there is no session bus to warn on` });
    return;
  }
  const uid = delivery.uid;
  const unit = noticeUnit(uid);
  await rm(refusalPath, { force: true }).catch(() => undefined);
  const request: NoticeRequestFile = {
    schemaVersion: 1,
    runId: delivery.runId,
    target: delivery.target,
    sessionId: delivery.sessionId,
    user: delivery.user,
    uid,
    summary: delivery.summary,
    body: delivery.body,
    graceMs: delivery.graceMs,
    deadlineMonoMs: monotonicMs() + delivery.graceMs,
    requestedAt: options.now().toISOString(),
  };
  // volatile: /run (tmpfs); a power cut ends the run that waits for it too
  const written = await writeJsonAtomic(requestPath, request, 0o644, 'volatile');
  if (!written.ok) {
    say({ type: 'NOTICE_UNDELIVERED', reason: `cannot write ${requestPath} for ${unit}: ${written.failure.message}` });
    return;
  }
  const cleanUp = async () => {
    await rm(requestPath, { force: true }).catch(() => undefined);
    await rm(refusalPath, { force: true }).catch(() => undefined);
    await systemctl(['stop', '--no-block', unit]);
  };
  if (signal.aborted) return void (await cleanUp());
  // restart: an agent left from an earlier countdown shows that one
  const started = await systemctl(['restart', '--no-block', unit]);
  if (started.kind !== 'ok') say({ type: 'NOTICE_UNDELIVERED', reason: `cannot start ${unit}: ${describeResult(started)}` });

  const answerDir = join(options.answerRoot ?? NOTICE_ANSWER_ROOT, String(uid));
  let shown = false;
  let answered = started.kind !== 'ok';
  const check = async () => {
    const refusal = await readJsonFile(refusalPath, Refusal);
    if (refusal.status === 'ok' && refusal.value.runId === delivery.runId && (refusal.value.by === 'root' || refusal.value.by === delivery.user)) {
      say({ type: 'REFUSED', by: refusal.value.by, via: refusal.value.via, at: refusal.value.at });
      return;
    }
    const answer = await readJsonFile(join(answerDir, NOTICE_ANSWER_FILE), NoticeAnswer);
    if (answer.status !== 'ok' || answer.value.runId !== delivery.runId || answer.value.uid !== uid) return;
    const a = answer.value;
    if (a.refusal !== null) say({ type: 'REFUSED', by: a.refusal.by, via: 'notification', at: a.refusal.at });
    else if (a.undelivered !== null && !answered) say({ type: 'NOTICE_UNDELIVERED', reason: `${unit} (pid ${a.agentPid}) could not show it: ${a.undelivered}` });
    else if (a.notificationId !== null && !shown) {
      shown = true;
      say({ type: 'NOTICE_SHOWN', detail: `notification ${a.notificationId} on the session bus of ${delivery.user ?? `uid ${uid}`}, shown by ${unit} (pid ${a.agentPid})` });
    }
    answered = true;
  };

  let checking = Promise.resolve();
  const queueCheck = () => {
    checking = checking.then(check, check);
  };
  // the agent's folder appears only once its unit runs: watchFolder waits for it on its parent
  const watches = [options.runtimeDir, answerDir].map((dir) =>
    watchFolder(dir, {
      changed: queueCheck,
      waiting: () => undefined,
      failed: (message) => say({ type: 'NOTICE_UNDELIVERED', reason: `cannot follow the answer to the warning: ${message}` }),
    }),
  );
  queueCheck();
  const answerDeadline = setTimeout(() => {
    if (!answered) say({ type: 'NOTICE_UNDELIVERED', reason: `${unit} did not say within ${(options.answerTimeoutMs ?? 15_000) / 1000} s whether it could show the warning (see journalctl -u ${unit})` });
    answered = true;
  }, options.answerTimeoutMs ?? 15_000);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearTimeout(answerDeadline);
  for (const watch of watches) watch.close();
  await checking;
  await cleanUp();
}
