// A member of modectl switches modes through a REAL polkitd, end to end: the
// sandboxed systemd 252 asks polkitd 122 (D-Bus activated) about each start
// by an unprivileged user, polkitd judges with the project's own rule (the
// file the NixOS module installs), and `mode request` is the packaged bundle
// run inside as that user. The member cannot write /run/mode-controller, so
// the controller run records its own instance as desired
// (effects/records/desired-at-start.ts). A non-member is refused with the
// CLI's message; the member can start nothing but mode-controller@<mode>.service.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { RequestOutput } from '../../schemas/cli-output.ts';
import type { ModeName } from '../../schemas/names.ts';
import { DesiredRecord, type TransitionRecord } from '../../schemas/records.ts';
import { describeResult, type CommandResult } from './command.ts';
import { RUNTIME_DIR, auditEvents, lastRecord, unitOf } from './crash.ts';
import { activeStates, bootControllerSandbox, sliceWeights, type ControllerSandbox } from './e2e.ts';
import { expectModeHolds } from './mode-holds.ts';
import { MEMBER_USER, MODECTL_GROUP, NON_MEMBER_USER, REPO_ROOT } from './layout.ts';
import { installCli, modeAs, runAs } from './member.ts';
import { PROJECT_RULE, RULE_INSIDE, polkitPrerequisites } from './polkit.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

// systemctl's answer when polkit says neither yes nor no to a caller without an agent (captured here, see the fixtures' README)
const REFUSAL_FIXTURE = join(REPO_ROOT, 'test/fixtures/real-outputs/f_systemd_errors/sandbox-252-polkit-start-not-authorized.stderr.txt');
const POLKIT_REFUSAL = /Interactive authentication required|Access denied/;

function desiredRecord(sandbox: ControllerSandbox): DesiredRecord | null {
  const text = sandbox.readInside(`${RUNTIME_DIR}/desired.json`);
  return text === null ? null : DesiredRecord.parse(JSON.parse(text));
}

describeWhen([...sandboxPrerequisites(), ...polkitPrerequisites()], 'end to end: a member of modectl requests modes through the real polkitd and the project rule', () => {
  let sandbox: ControllerSandbox;
  let modeCli: string;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({ polkit: true });
    modeCli = await installCli(sandbox);
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  /** What the member's request must leave: the run's record, desired.json from its start, its `desired` audit event. */
  async function expectReachedByUnitStart(mode: ModeName): Promise<TransitionRecord> {
    const record = lastRecord(sandbox);
    expect({ target: record?.target, outcome: record?.outcome, final: record?.finalObservation?.mode }).toEqual({ target: mode, outcome: 'succeeded', final: mode });
    if (!record) throw new Error('no last-transition.json');
    const desired = desiredRecord(sandbox);
    expect({ mode: desired?.mode, via: desired?.via, requestedBy: desired?.requestedBy, generation: desired?.generation }).toEqual({ mode, via: 'unit-start', requestedBy: null, generation: record.generation });
    const claimed = (await auditEvents(sandbox)).filter((e) => e.event === 'desired' && e.runId === record.runId);
    expect(claimed.map((e) => ({ target: e.target, generation: e.generation, via: e.detail?.via, requestedBy: e.detail?.requestedBy }))).toEqual([
      { target: mode, generation: record.generation, via: 'unit-start', requestedBy: null },
    ]);
    await expectModeHolds(sandbox, mode, { generation: record.generation });
    return record;
  }

  it('polkitd is the real one, D-Bus activated, running as its own user, with the project rule byte for byte', async () => {
    // polkit reads the groups from /etc/group (getgrouplist), as setpriv --init-groups does
    const probe = await runAs(sandbox, MEMBER_USER, ['id', '-nG']);
    expect(probe.stdout.trim().split(' ')).toEqual([MEMBER_USER.name, MODECTL_GROUP.name]);
    expect((await runAs(sandbox, NON_MEMBER_USER, ['id', '-nG'])).stdout.trim()).toBe(NON_MEMBER_USER.name);
    expect(sandbox.readInside(RULE_INSIDE)).toBe(readFileSync(PROJECT_RULE, 'utf8'));
    // an unprivileged caller's bus call makes PID 1 ask polkit, which dbus-daemon activates
    const refused = await runAs(sandbox, NON_MEMBER_USER, ['systemctl', 'start', '--no-block', '--', unitOf('desktop')]);
    expect(refused.stderr, describeResult(refused)).toMatch(POLKIT_REFUSAL);
    const polkit = (await sandbox.show(['polkit.service'], ['ActiveState', 'MainPID', 'ExecMainStartTimestamp'])).get('polkit.service');
    expect(polkit?.ActiveState).toBe('active');
    const status = sandbox.readInside(`/proc/${polkit?.MainPID}/status`) ?? '';
    const polkitdUid = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('polkitd:'))?.split(':')[2];
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1], 'polkitd drops root for its user polkitd').toBe(polkitdUid);
    const journal = await sandbox.journal(400);
    expect(journal).toMatch(/Loading rules from directory \/etc\/polkit-1\/rules\.d/);
    expect(journal).not.toMatch(/polkitd\[\d+\]: .*(Error|error)/);
  });

  it('the member requests studio-local with the real CLI: the run records it as desired and reaches it; then desktop', async () => {
    const { units, slices } = sandbox.config;
    const before = await sliceWeights(sandbox);
    const studio = await modeAs(sandbox, MEMBER_USER, modeCli, ['request', 'studio-local']);
    expect(studio.exitCode, describeResult(studio)).toBe(EXIT.ok);
    // the CLI says it could not record the request, and who does
    expect(studio.stdout).toContain(`cannot write ${RUNTIME_DIR}`);
    expect(studio.stdout).toContain('the controller run records studio-local as desired when its unit starts');
    expect(studio.stdout).toMatch(/succeeded: desktop -> studio-local/);
    const reached = await expectReachedByUnitStart('studio-local');
    // systemd's own view, not the controller's record
    expect(await activeStates(sandbox, units.studioOverlay)).toEqual(Object.fromEntries(units.studioOverlay.map((u) => [u, 'active'])));
    expect(await sliceWeights(sandbox)).toEqual(slices.studio);

    const back = await modeAs(sandbox, MEMBER_USER, modeCli, ['request', 'desktop', '--json']);
    expect(back.exitCode, describeResult(back)).toBe(EXIT.ok);
    const output = RequestOutput.parse(JSON.parse(back.stdout));
    expect({ desired: output.desired, outcome: output.outcome, target: output.record?.target, exit: output.exit.code }).toEqual({ desired: null, outcome: 'succeeded', target: 'desktop', exit: EXIT.ok });
    expect(output.notes.join('\n')).toContain('the controller run records desktop as desired when its unit starts');
    const returned = await expectReachedByUnitStart('desktop');
    expect(returned.generation).toBe((reached.generation ?? Number.NaN) + 1);
    expect(await activeStates(sandbox, units.studioOverlay)).toEqual(Object.fromEntries(units.studioOverlay.map((u) => [u, 'inactive'])));
    expect(await sliceWeights(sandbox)).toEqual(before);
  }, 300_000);

  it('a non-member is refused (exit 77) with the group and the rule file named; nothing is started or recorded', async () => {
    const desiredBefore = desiredRecord(sandbox);
    const recordBefore = lastRecord(sandbox);
    const unit = unitOf('studio-local');
    const startsBefore = (await sandbox.show([unit], ['ExecMainStartTimestampMonotonic'])).get(unit)?.ExecMainStartTimestampMonotonic;

    // what systemctl prints to him, exactly as the CLI runs it
    const raw = await runAs(sandbox, NON_MEMBER_USER, ['systemctl', 'start', '--no-block', '--', unit]);
    expect(raw.exitCode, describeResult(raw)).not.toBe(0);
    expect(raw.stderr).toBe(readFileSync(REFUSAL_FIXTURE, 'utf8'));

    const request = await modeAs(sandbox, NON_MEMBER_USER, modeCli, ['request', 'studio-local']);
    expect(request.exitCode, describeResult(request)).toBe(EXIT.denied);
    expect(request.stderr).toContain(`not allowed to start ${unit}`);
    expect(request.stderr).toContain(MODECTL_GROUP.name);
    expect(request.stderr).toContain(RULE_INSIDE);
    expect(desiredRecord(sandbox)).toEqual(desiredBefore);
    expect(lastRecord(sandbox)).toEqual(recordBefore);
    expect((await sandbox.show([unit], ['ExecMainStartTimestampMonotonic'])).get(unit)?.ExecMainStartTimestampMonotonic).toBe(startsBefore);
  }, 120_000);

  it('the member can do nothing else: stop, restart, other units, other instances and isolate are refused by polkit', async () => {
    const { units } = sandbox.config;
    const attempts: [string, string[]][] = [
      ['stop the controller unit', ['stop', '--', unitOf('desktop')]],
      ['restart the controller unit', ['restart', '--', unitOf('studio-local')]],
      ['start vLLM', ['start', '--', units.vllm]],
      ['start an overlay unit', ['start', '--', units.studioOverlay[0] ?? 'studio-local-policy.service']],
      ['stop the display manager', ['stop', '--', units.displayManager]],
      ['start an instance that is not a mode', ['start', '--', 'mode-controller@gamer.service']],
      ['isolate compute', ['isolate', '--', units.computeTarget]],
      ['set a slice weight', ['set-property', '--runtime', '--', units.slices.interactive, 'CPUWeight=1000']],
    ];
    const before = await activeStates(sandbox, [units.vllm, units.displayManager, units.computeTarget, ...units.studioOverlay]);
    const weights = await sliceWeights(sandbox);
    const answers: Record<string, string> = {};
    const results: CommandResult[] = [];
    for (const [what, args] of attempts) {
      const result = await runAs(sandbox, MEMBER_USER, ['systemctl', ...args]);
      results.push(result);
      answers[what] = result.exitCode !== 0 && POLKIT_REFUSAL.test(result.stderr) ? 'refused' : `allowed? ${describeResult(result)}`;
    }
    expect(answers).toEqual(Object.fromEntries(attempts.map(([what]) => [what, 'refused'])));
    expect(await activeStates(sandbox, [units.vllm, units.displayManager, units.computeTarget, ...units.studioOverlay])).toEqual(before);
    expect(await sliceWeights(sandbox)).toEqual(weights);
    // a granted start cannot be turned into an isolate: systemd refuses it, the unit has no AllowIsolate=yes
    const isolate = await runAs(sandbox, MEMBER_USER, ['systemctl', 'start', '--job-mode=isolate', '--', unitOf('desktop')]);
    expect(isolate.stderr, describeResult(isolate)).toContain('unit may not be isolated');
    // the control: the same user, the same bus, a start of a mode's unit is granted
    const granted = await runAs(sandbox, MEMBER_USER, ['systemctl', 'start', '--', unitOf('desktop')], {}, 120_000);
    expect(granted.exitCode, describeResult(granted)).toBe(0);
    expect(lastRecord(sandbox)?.outcome).toBe('noop');
  }, 300_000);
});
