// The notice agent: what dubnium-notice@<uid>.service runs as the session's
// user, on that user's session bus, for the root controller. It shows the
// controller's warning as a desktop notification with a "Keep my session"
// action (org.freedesktop.Notifications.Notify, through busctl, which every
// systemd host has), follows the daemon's signals with `busctl monitor`, and
// writes what became of it to answer.json: shown (with the daemon's id), not
// shown (the tool's own words: no session bus, no notification daemon), or
// refused. It decides nothing; the controller keeps the countdown. At the
// deadline, or when the controller stops it, it closes the notification.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  KEEP_ACTION,
  KEEP_ACTION_LABEL,
  NOTICE_ANSWER_FILE,
  NoticeRequestFile,
  type NoticeAnswer,
} from '../../schemas/notice.ts';
import { describeResult, type RunCommand } from '../exec/command-result.ts';
import { lookupTool } from '../exec/tool-lookup.ts';
import { monotonicMs } from '../monotonic.ts';
import { writeJsonAtomic } from '../records/atomic-write.ts';
import { readJsonFile } from '../records/read-json.ts';
import { CLOSE_REASONS, parseNotificationSignal, parseNotifyReply } from './notification-signals.ts';

export interface AgentOptions {
  /** the controller's request (/run/mode-controller/notice.json) */
  requestPath: string;
  /** the agent's RuntimeDirectory (/run/dubnium-notice/<uid>) */
  dir: string;
  uid: number;
  user: string;
  run: RunCommand;
  env: NodeJS.ProcessEnv;
  /** bound on each busctl call */
  callTimeoutMs?: number;
  now?: () => Date;
}

const NOTIFICATIONS = ['org.freedesktop.Notifications', '/org/freedesktop/Notifications', 'org.freedesktop.Notifications'] as const;
/** how long the monitor may take to say it is listening before the notification is sent anyway */
const MONITOR_READY_MS = 3000;

/** Shows the request's warning and follows it until the deadline or the signal; resolves with the exit status. */
export async function runNoticeAgent(options: AgentOptions, signal: AbortSignal, report: (line: string) => void): Promise<number> {
  const read = await readJsonFile(options.requestPath, NoticeRequestFile);
  if (read.status !== 'ok') {
    report(read.code === 'missing' ? `no warning to show: ${read.reason} (the controller writes it while a switch counts down)` : read.reason);
    return read.code === 'missing' ? 0 : 65;
  }
  const request = read.value;
  if (request.uid !== options.uid) {
    report(`the warning is for uid ${request.uid}, and this agent runs as uid ${options.uid}: not shown`);
    return 2;
  }
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.callTimeoutMs ?? 5000;
  const answer: NoticeAnswer = { schemaVersion: 1, runId: request.runId, uid: options.uid, agentPid: process.pid, notificationId: null, undelivered: null, refusal: null };
  const publish = async () => {
    // volatile: the unit's RuntimeDirectory (tmpfs); a power cut ends the run that reads it too
    const written = await writeJsonAtomic(join(options.dir, NOTICE_ANSWER_FILE), answer, 0o644, 'volatile');
    if (!written.ok) report(`cannot write ${join(options.dir, NOTICE_ANSWER_FILE)}: ${written.failure.message}`);
  };

  const stop = new AbortController();
  const untilDeadline = Math.max(0, request.deadlineMonoMs - monotonicMs());
  const deadline = setTimeout(() => stop.abort(), untilDeadline);
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const monitor = startMonitor(options.env, stop.signal);
    await Promise.race([monitor.ready, sleep(MONITOR_READY_MS, stop.signal)]);
    const reply = await options.run({
      tool: 'busctl',
      args: ['--user', 'call', ...NOTIFICATIONS, 'Notify', 'susssasa{sv}i', 'Dubnium', '0', 'dialog-warning', request.summary, request.body, '2', KEEP_ACTION, KEEP_ACTION_LABEL, '1', 'urgency', 'y', '2', String(request.graceMs)],
      timeoutMs,
      env: options.env,
    });
    const id = reply.kind === 'ok' ? parseNotifyReply(reply.stdout) : null;
    if (id === null) {
      answer.undelivered = reply.kind === 'ok' ? `the notification daemon answered Notify with ${JSON.stringify(reply.stdout.trim())}, not an id` : describeResult(reply);
      await publish();
      report(`not shown: ${answer.undelivered}`);
    } else {
      answer.notificationId = id;
      await publish();
      report(`shown as notification ${id}; waiting ${Math.round(untilDeadline / 1000)} s for "${KEEP_ACTION_LABEL}"`);
      for await (const line of monitor.lines) {
        const event = parseNotificationSignal(line);
        if (event === null || event.id !== id) continue;
        if (event.kind === 'action' && event.action === KEEP_ACTION) {
          answer.refusal = { schemaVersion: 1, runId: request.runId, by: options.user, via: 'notification', at: now().toISOString() };
          await publish();
          report(`${options.user} chose "${KEEP_ACTION_LABEL}": the switch is refused`);
          break;
        }
        if (event.kind === 'closed') report(`notification ${id} closed (${CLOSE_REASONS[event.reason] ?? `reason ${event.reason}`}); that is no refusal`);
      }
    }
    // Whatever the answer, stay until the deadline (or the controller's stop): the
    // answer lives in this unit's RuntimeDirectory, which systemd removes as soon
    // as the unit ends, and the controller may not have read it yet.
    await sleep(Math.max(0, request.deadlineMonoMs - monotonicMs()), stop.signal);
    stop.abort();
    await monitor.done;
    // the run is over either way: a stale warning must not stay on the screen
    if (id !== null && answer.refusal === null) {
      await options.run({ tool: 'busctl', args: ['--user', 'call', ...NOTIFICATIONS, 'CloseNotification', 'u', String(id)], timeoutMs, env: options.env });
    }
    return 0;
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener('abort', onAbort);
  }
}

interface Monitor {
  /** resolves once busctl says it is monitoring */
  ready: Promise<void>;
  lines: AsyncIterable<string>;
  done: Promise<void>;
}

/** `busctl --user monitor` of the Notifications interface's signals, until `signal` aborts. */
function startMonitor(env: NodeJS.ProcessEnv, signal: AbortSignal): Monitor {
  const found = lookupTool('busctl', undefined, env);
  const child = spawn(found.found ? found.path : 'busctl', ['--user', 'monitor', '--json=short', "--match=type='signal',interface='org.freedesktop.Notifications'"], {
    env: { ...env, LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<void>((resolve) => {
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });
  const kill = () => child.kill('SIGTERM');
  if (signal.aborted) kill();
  else signal.addEventListener('abort', kill, { once: true });
  const ready = new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (chunk.includes('Monitoring bus message stream')) resolve();
    });
    void done.then(() => resolve());
  });
  return { ready, lines: createInterface({ input: child.stdout }), done };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
