// Issue 14 item 1 end to end: before compute ends the desktop user's real
// logind session, the controller (inside the hardened mode-controller@ unit)
// warns that user through the packaged dubnium-notice@4242.service, which runs
// as the user and shows the warning with a REAL notification daemon (Debian's
// dunst 1.9, a user unit on the user's session bus, drawing on the sandbox's
// Xvfb). What happens is read from outside: dbus-monitor on the user's bus,
// dunstctl, logind, the run's record and the audit log.
//   - "Keep my session" (dunstctl action 0, as the user) refuses: canceled, exit 13, nothing touched;
//   - `mode cancel` by the user from the session itself goes through polkit and refuses;
//     from outside the session (not active/local) polkit denies it (exit 77) and the switch goes ahead;
//   - no answer: the switch goes ahead after the grace;
//   - an idle session (logind's IdleHint): no wait, no notification;
//   - no session bus: unwarned with the agent's reason, and (ifUnwarned 'wait') the grace, then the switch.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { NOTICE_ANSWER_FILE, NOTICE_ANSWER_ROOT, NoticeAnswer } from '../../schemas/notice.ts';
import type { Facts } from '../../schemas/facts.ts';
import type { TransitionRecord } from '../../schemas/records.ts';
import { describeResult, type CommandResult } from './command.ts';
import { auditEvents, lastRecord, RUNTIME_DIR, STATE_DIR } from './crash.ts';
import { bootControllerSandbox, graphicalSessions, request, type ControllerSandbox } from './e2e.ts';
import { DESKTOP_USER, INSIDE_NODE } from './layout.ts';
import { installCli } from './member.ts';
import { expectModeHolds } from './mode-holds.ts';
import { polkitPrerequisites } from './polkit.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { asDesktopUser } from './user-manager.ts';

const GRACE_SECONDS = 6;
const ANSWER = `${NOTICE_ANSWER_ROOT}/${DESKTOP_USER.uid}/${NOTICE_ANSWER_FILE}`;
const NOTIFICATIONS = 'org.freedesktop.Notifications';

// Debian's dunst.service (/usr/lib/systemd/user), with the session's X display
const DUNST_UNIT = {
  name: 'dunst.service',
  wantedBy: ['graphical-session.target'],
  text: [
    '[Unit]',
    'Description=Dunst notification daemon',
    'PartOf=graphical-session.target',
    '',
    '[Service]',
    'Type=dbus',
    `BusName=${NOTIFICATIONS}`,
    'Environment=DISPLAY=:0',
    'ExecStart=/usr/bin/dunst',
  ].join('\n'),
};

const TOOLS = { '/usr/bin/dunst': 'dunst', '/usr/bin/dunstctl': 'dunst', '/usr/bin/dbus-monitor': 'dbus-bin' } as const;
const prerequisites = () => [...sandboxPrerequisites(), ...polkitPrerequisites(), ...Object.entries(TOOLS).flatMap(([path, pkg]) => (existsSync(path) ? [] : [`${path} missing: apt-get install ${pkg}`]))];
/** a D-Bus object path element for `text`, as sd_bus_path_encode makes it (logind's session paths: "36" is "_336") */
const busPathPart = (text: string) => text.replace(/^[0-9]|[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

describeWhen(prerequisites(), 'end to end: the warning before compute ends the session, with a real dunst', () => {
  let sandbox: ControllerSandbox;
  let modeCli: string;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({
      polkit: true,
      userUnits: [DUNST_UNIT],
      config: (c) => ({ ...c, notice: { graceSeconds: GRACE_SECONDS, idleAfterSeconds: 300, ifUnwarned: 'wait' } }),
    });
    modeCli = await installCli(sandbox);
    await waitForDunst();
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  /** the notice settings of the next runs (each run reads the config) */
  function setNotice(notice: { graceSeconds: number; idleAfterSeconds: number; ifUnwarned: 'wait' | 'proceed' }): void {
    const path = join(sandbox.dir, 'config.json');
    writeFileSync(path, `${JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as object), notice }, null, 2)}\n`);
  }

  async function asUser(argv: readonly string[], timeoutMs?: number): Promise<string> {
    const result = await sandbox.exec(asDesktopUser(argv), timeoutMs);
    if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} as the desktop user: ${describeResult(result)}`);
    return result.stdout;
  }

  async function waitForDunst(): Promise<void> {
    await sandbox.waitUntil('dunst owns org.freedesktop.Notifications on the user bus', async () => {
      const result = await sandbox.exec(asDesktopUser(['busctl', '--user', 'status', NOTIFICATIONS]));
      return result.exitCode === 0 && /Comm=dunst/.test(result.stdout);
    }, 30_000);
  }

  /** `mode request <mode>` as root inside, the packaged CLI against the sandbox's controller */
  function modeAsRoot(args: readonly string[], timeoutMs = 5 * 60_000): Promise<CommandResult> {
    return sandbox.exec(
      ['env', `RUNTIME_DIRECTORY=${RUNTIME_DIR}`, `STATE_DIRECTORY=${STATE_DIR}`, `DUBNIUM_CONFIG=${sandbox.configPathInside}`, 'LC_ALL=C', INSIDE_NODE, '--jitless', '--no-expose-wasm', modeCli, ...args],
      timeoutMs,
    );
  }

  /** everything on the user's session bus about notifications, for `seconds` */
  function monitorBus(seconds: number): Promise<CommandResult> {
    return sandbox.exec(asDesktopUser(['timeout', String(seconds), 'dbus-monitor', '--session', `interface='${NOTIFICATIONS}'`]), (seconds + 10) * 1000);
  }

  function answer(): NoticeAnswer | null {
    const text = sandbox.readInside(ANSWER);
    if (text === null) return null;
    try {
      return NoticeAnswer.parse(JSON.parse(text));
    } catch {
      return null;
    }
  }

  async function shownNotification(): Promise<number> {
    let id: number | null = null;
    await sandbox.waitUntil('the agent says dunst shows the warning', () => {
      id = answer()?.notificationId ?? null;
      return Promise.resolve(id !== null);
    }, 30_000);
    return id as unknown as number;
  }

  function record(): TransitionRecord {
    const last = lastRecord(sandbox);
    if (!last) throw new Error('no last-transition.json');
    return last;
  }

  const USER_ENV = ['env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin', `USER=${DESKTOP_USER.name}`, `LOGNAME=${DESKTOP_USER.name}`, 'LC_ALL=C', `RUNTIME_DIRECTORY=${RUNTIME_DIR}`, `DUBNIUM_CONFIG=`];
  const asUserArgv = (argv: readonly string[]) => ['setpriv', `--reuid=${DESKTOP_USER.uid}`, `--regid=${DESKTOP_USER.gid}`, '--init-groups', '--', ...USER_ENV, ...argv];
  const modeCancel = () => [INSIDE_NODE, '--jitless', '--no-expose-wasm', modeCli, 'cancel'];

  /**
   * `mode cancel` as the desktop user from inside their graphical session: the
   * process joins the session's scope (session-N.scope, as a terminal of the
   * desktop would be) before it becomes the user, so logind, and polkit
   * through it, see the caller in the active local session on seat0.
   */
  async function cancelInSession(session: string): Promise<CommandResult> {
    const scope = (await sandbox.loginctl(['show-session', '-p', 'Scope', '--value', session])).stdout.trim();
    const group = (await sandbox.show([scope], ['ControlGroup'])).get(scope)?.ControlGroup;
    if (!group) throw new Error(`no control group for ${scope}`);
    return sandbox.exec(['/bin/sh', '-c', 'echo $$ > "$1" && shift && exec "$@"', 'in-session', `/sys/fs/cgroup${group}/cgroup.procs`, ...asUserArgv(modeCancel())], 60_000);
  }

  /** `mode cancel` as the desktop user from outside any session (like a cron job, or a shell of another login) */
  const cancelOutsideSession = () => sandbox.exec(asUserArgv(modeCancel()), 60_000);

  it('"Keep my session" on the notification refuses the switch: canceled (exit 13), nothing touched, the user named', async () => {
    const [session] = await graphicalSessions(sandbox);
    const monitor = monitorBus(GRACE_SECONDS + 6);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const requested = modeAsRoot(['request', 'compute']);
    const id = await shownNotification();
    expect((await asUser(['dunstctl', 'count', 'displayed'])).trim()).toBe('1');
    await asUser(['dunstctl', 'action', '0']);
    const result = await requested;
    expect(result.exitCode, describeResult(result)).toBe(EXIT.canceled);
    const rec = record();
    expect({ target: rec.target, outcome: rec.outcome, steps: rec.steps, delivery: rec.notice?.delivery, refusal: { by: rec.notice?.refusal?.by, via: rec.notice?.refusal?.via } }).toEqual({
      target: 'compute',
      outcome: 'canceled',
      steps: [],
      delivery: 'shown',
      refusal: { by: DESKTOP_USER.name, via: 'notification' },
    });
    expect(rec.notice?.sessionId).toBe(session);
    // the agent saw the action (it outlives its answer until the controller, having read it, stops it)
    const agentSaid = (await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', `dubnium-notice@${DESKTOP_USER.uid}.service`])).stdout;
    expect(agentSaid).toContain(`${DESKTOP_USER.name} chose "Keep my session": the switch is refused`);
    expect(rec.finalObservation?.mode).toBe('desktop');
    const outcome = (await auditEvents(sandbox)).find((e) => e.event === 'outcome' && e.runId === rec.runId);
    expect(outcome?.outcome).toBe('canceled');
    expect(outcome?.reason).toContain(`${DESKTOP_USER.name} refused it from the notification`);
    expect(outcome?.reason).toContain('nothing was touched');
    expect(await graphicalSessions(sandbox)).toEqual([session]);
    await expectModeHolds(sandbox, 'desktop');
    const bus = (await monitor).stdout;
    expect(bus).toMatch(/member=Notify/);
    expect(bus).toContain('Keep my session');
    expect(bus).toMatch(new RegExp(`member=ActionInvoked[^\\n]*\\n\\s+uint32 ${id}\\n\\s+string "keep"`));
  }, 120_000);

  it('mode cancel by the user from their own session refuses through polkit: canceled, the user named, nothing touched', async () => {
    const [session] = await graphicalSessions(sandbox);
    if (!session) throw new Error('no graphical session');
    const requested = modeAsRoot(['request', 'compute']);
    await shownNotification();
    const cancel = await cancelInSession(session);
    expect(cancel.exitCode, describeResult(cancel)).toBe(EXIT.ok);
    expect(cancel.stdout).toMatch(/^refused: the switch to compute will not end the graphical session/);
    const result = await requested;
    expect(result.exitCode, describeResult(result)).toBe(EXIT.canceled);
    const rec = record();
    expect({ outcome: rec.outcome, steps: rec.steps, delivery: rec.notice?.delivery, by: rec.notice?.refusal?.by, via: rec.notice?.refusal?.via }).toEqual({
      outcome: 'canceled',
      steps: [],
      delivery: 'shown',
      by: DESKTOP_USER.name,
      via: 'mode cancel',
    });
    // it went through the unit polkit let the user start, which wrote the refusal as root (the unit is
    // collected once it ends, so its journal is the trace)
    const unit = `mode-cancel@${DESKTOP_USER.name}.service`;
    const ran = (await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', unit])).stdout;
    expect(ran).toContain(`refused: the switch to compute will not end the graphical session ${session} of ${DESKTOP_USER.name}; run ${rec.runId} ends as canceled`);
    const outcome = (await auditEvents(sandbox)).find((e) => e.event === 'outcome' && e.runId === rec.runId);
    expect(outcome?.reason).toContain(`${DESKTOP_USER.name} refused it with mode cancel`);
    expect(await graphicalSessions(sandbox)).toEqual([session]);
    // the warning does not stay on the screen once the run is over
    await sandbox.waitUntil('dunst shows nothing', async () => (await asUser(['dunstctl', 'count', 'displayed'])).trim() === '0', 15_000);
  }, 120_000);

  it('from outside the session polkit denies mode cancel (exit 77); unanswered, the switch goes ahead after the grace', async () => {
    const [session] = await graphicalSessions(sandbox);
    const monitor = monitorBus(GRACE_SECONDS + 8);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const requested = modeAsRoot(['request', 'compute']);
    const id = await shownNotification();
    const cancel = await cancelOutsideSession();
    expect(cancel.exitCode, describeResult(cancel)).toBe(EXIT.denied);
    expect(cancel.stderr).toContain(`not allowed to start mode-cancel@${DESKTOP_USER.name}.service`);
    expect(cancel.stderr).toContain("active session at this machine");
    const result = await requested;
    expect(result.exitCode, describeResult(result)).toBe(EXIT.ok);
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
    const rec = record();
    expect({ target: rec.target, outcome: rec.outcome, final: rec.finalObservation?.mode, delivery: rec.notice?.delivery, refusal: rec.notice?.refusal, session: rec.notice?.sessionId }).toEqual({
      target: 'compute',
      outcome: 'succeeded',
      final: 'compute',
      delivery: 'shown',
      refusal: null,
      session,
    });
    expect(rec.steps.map((s) => s.action.kind)).toContain('terminate-session');
    expect(await graphicalSessions(sandbox)).toEqual([]);
    // the agent closed its notification at the deadline (or dunst went with the X server)
    const bus = (await monitor).stdout;
    expect(bus).toMatch(/member=Notify/);
    expect(bus).not.toMatch(/member=ActionInvoked/);
    expect(bus).toMatch(new RegExp(`member=(CloseNotification|NotificationClosed)[^\\n]*\\n\\s+uint32 ${id}\\n`));
    expect((await request(sandbox, 'desktop')).record.outcome).toBe('succeeded');
  }, 180_000);

  it('an idle session (logind IdleHint longer than idleAfterSeconds) is not warned: no notification, no wait', async () => {
    // idleAfterSeconds 1 for this run; the config is read by each run
    setNotice({ graceSeconds: GRACE_SECONDS, idleAfterSeconds: 1, ifUnwarned: 'wait' });
    const [session] = await graphicalSessions(sandbox);
    if (!session) throw new Error('no graphical session');
    const set = await sandbox.exec(['busctl', 'call', 'org.freedesktop.login1', `/org/freedesktop/login1/session/${busPathPart(session)}`, 'org.freedesktop.login1.Session', 'SetIdleHint', 'b', 'true']);
    expect(set.exitCode, describeResult(set)).toBe(0);
    expect((await sandbox.loginctl(['show-session', '-p', 'IdleHint', '--value', session])).stdout.trim()).toBe('yes');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // the observer the controller runs reads it (mode current --refresh observes afresh)
    const current = await modeAsRoot(['current', '--refresh', '--json']);
    const sessions = (JSON.parse(current.stdout) as { facts: Facts | null }).facts?.sessions;
    const seen = sessions?.status === 'known' ? sessions.value.find((s) => s.id === session) : undefined;
    expect(seen, current.stdout).toMatchObject({ idleHint: true });
    expect(seen?.idleForMs).toBeGreaterThanOrEqual(1000);
    const monitor = monitorBus(5);
    const started = Date.now();
    const result = await modeAsRoot(['request', 'compute']);
    const took = Date.now() - started;
    expect(result.exitCode, describeResult(result)).toBe(EXIT.ok);
    const rec = record();
    expect({ outcome: rec.outcome, notice: rec.notice ?? null }).toEqual({ outcome: 'succeeded', notice: null });
    expect(took).toBeLessThan(GRACE_SECONDS * 1000);
    expect(sandbox.readInside(ANSWER)).toBeNull();
    expect((await monitor).stdout).not.toMatch(/member=Notify/);
    setNotice({ graceSeconds: GRACE_SECONDS, idleAfterSeconds: 300, ifUnwarned: 'wait' });
    expect((await request(sandbox, 'desktop')).record.outcome).toBe('succeeded');
  }, 180_000);

  it('without a session bus the warning is unwarned with the agent\'s reason, and the switch waits the grace, then goes ahead', async () => {
    const agent = `dubnium-notice@${DESKTOP_USER.uid}.service`;
    const notShown = async () => (await sandbox.exec(['journalctl', '--no-pager', '-o', 'cat', '-u', agent])).stdout.split('\n').filter((l) => l.startsWith('not shown: ')).length;
    const before = await notShown();
    await asUser(['systemctl', '--user', 'stop', 'dbus.socket', 'dbus.service']);
    const started = Date.now();
    const requested = modeAsRoot(['request', 'compute']);
    await sandbox.waitUntil(`${agent} says it could not show the warning`, async () => (await notShown()) > before, 20_000);
    // and its answer stays readable until the countdown ends (systemd removes it with the agent's RuntimeDirectory)
    expect(answer()?.undelivered).toMatch(/bus/i);
    // within the grace the bus comes back: compute's own steps reach the user manager through it
    // (systemctl --user --machine=4242@, which without the session bus fails "Transport endpoint is not connected")
    await asUser(['systemctl', '--user', 'start', 'dbus.socket']);
    const result = await requested;
    const took = Date.now() - started;
    expect(result.exitCode, describeResult(result)).toBe(EXIT.ok);
    const rec = record();
    expect({ outcome: rec.outcome, delivery: rec.notice?.delivery, refusal: rec.notice?.refusal }).toEqual({ outcome: 'succeeded', delivery: 'unwarned', refusal: null });
    expect(rec.notice?.deliveryDetail).toMatch(new RegExp(`^${agent.replace(/[.@]/g, '\\$&')} \\(pid \\d+\\) could not show it: .*bus`, 'i'));
    expect(took).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
  }, 180_000);
});
