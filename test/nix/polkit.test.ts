// nix/polkit/50-mode-controller.rules under Debian's duk (polkitd's engine):
// a modectl member may start mode-controller@<mode>.service for each mode;
// every other verb, unit, escaped name, action and subject is NOT_HANDLED,
// so polkit's default (auth_admin) applies. The rule must be plain ES5.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MODES } from '../../schemas/modes.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { REPO_ROOT } from './nix-instantiate.ts';
import { judgeWithDuk, type PolkitRequest, type PolkitVerdict } from './polkit-harness.ts';

const RULES = readFileSync(join(REPO_ROOT, 'nix/polkit/50-mode-controller.rules'), 'utf8');
const MANAGE_UNITS = 'org.freedesktop.systemd1.manage-units';
const MEMBER = ['users', 'modectl'];

interface Case {
  name: string;
  request: PolkitRequest;
  expected: PolkitVerdict;
}

function request(unit: string | undefined, verb: string | undefined, groups = MEMBER, actionId = MANAGE_UNITS): PolkitRequest {
  const details: Record<string, string> = {};
  if (unit !== undefined) details.unit = unit;
  if (verb !== undefined) details.verb = verb;
  return { actionId, details, user: 'operator', groups };
}

const instance = (mode: string) => `mode-controller@${mode}.service`;

// mode cancel: the user of an active local session starts their own mode-cancel@<user>.service
const cancel = (user: string, unit: string, verb: string, where: { local?: boolean; active?: boolean } = {}): PolkitRequest => ({ actionId: MANAGE_UNITS, details: { unit, verb }, user, groups: ['users'], ...where });
const cancelAllowed: Case[] = [
  { name: 'alice at the machine starts mode-cancel@alice.service', request: cancel('alice', 'mode-cancel@alice.service', 'start'), expected: 'yes' },
  { name: 'a member at the machine starts their own mode-cancel', request: { ...cancel('operator', 'mode-cancel@operator.service', 'start'), groups: MEMBER }, expected: 'yes' },
];
const cancelRefused: Case[] = [
  { name: "alice starts bob's mode-cancel", request: cancel('alice', 'mode-cancel@bob.service', 'start'), expected: 'NOT_HANDLED' },
  { name: 'alice over SSH (not local) starts mode-cancel@alice', request: cancel('alice', 'mode-cancel@alice.service', 'start', { local: false }), expected: 'NOT_HANDLED' },
  { name: 'alice in a background session starts mode-cancel@alice', request: cancel('alice', 'mode-cancel@alice.service', 'start', { active: false }), expected: 'NOT_HANDLED' },
  ...['stop', 'restart', 'set-property', 'kill', ''].map((verb) => ({ name: `alice ${verb || '(empty verb)'}s mode-cancel@alice`, request: cancel('alice', 'mode-cancel@alice.service', verb), expected: 'NOT_HANDLED' as const })),
  { name: 'alice starts mode-cancel@alice.service.d', request: cancel('alice', 'mode-cancel@alice.service.d', 'start'), expected: 'NOT_HANDLED' },
  { name: 'alice starts mode-cancel@.service', request: cancel('alice', 'mode-cancel@.service', 'start'), expected: 'NOT_HANDLED' },
  { name: 'a user named with a dot starts its mode-cancel', request: cancel('a.b', 'mode-cancel@a.b.service', 'start'), expected: 'NOT_HANDLED' },
  { name: 'alice at the machine starts a mode controller (not a member)', request: cancel('alice', 'mode-controller@compute.service', 'start'), expected: 'NOT_HANDLED' },
];

const allowed: Case[] = [
  ...MODES.map((mode) => ({ name: `member starts ${instance(mode)}`, request: request(instance(mode), 'start'), expected: 'yes' as const })),
  { name: 'member with more groups starts compute', request: request(instance('compute'), 'start', ['wheel', 'audio', 'modectl']), expected: 'yes' },
];

const VERBS = ['stop', 'restart', 'try-restart', 'reload', 'reload-or-restart', 'reload-or-try-restart', 'kill', 'reset-failed', 'set-property', 'clean', 'freeze', 'thaw', 'Start', ''];
const OTHER_UNITS = [
  'mode-controller@.service',
  'mode-controller@gamer.service',
  'mode-controller@studio.service',
  'mode-controller@Compute.service',
  'mode-controller@compute\\x3breboot.service',
  'mode-controller@studio\\x2dlocal.service',
  'mode-controller@compute.service;reboot',
  'mode-controller@compute.service\n',
  'mode-controller@compute.servicex',
  'mode-controller@compute.service.d',
  'xmode-controller@compute.service',
  'mode-controller@desktop.target',
  'mode-boot.service',
  'vllm.service',
  'compute.target',
  'sshd.service',
  '',
];
const OTHER_ACTIONS = ['org.freedesktop.systemd1.manage-unit-files', 'org.freedesktop.systemd1.reload-daemon', 'org.freedesktop.login1.reboot'];
const NON_MEMBERS = [[], ['wheel'], ['users', 'audio'], ['modectl-admins'], ['MODECTL']];

const notHandled: Case[] = [
  ...MODES.flatMap((mode) =>
    VERBS.map((verb) => ({ name: `member ${verb || '(empty verb)'}s ${instance(mode)}`, request: request(instance(mode), verb), expected: 'NOT_HANDLED' as const })),
  ),
  { name: 'member without a verb', request: request(instance('compute'), undefined), expected: 'NOT_HANDLED' },
  ...OTHER_UNITS.map((unit) => ({ name: `member starts ${JSON.stringify(unit)}`, request: request(unit, 'start'), expected: 'NOT_HANDLED' as const })),
  { name: 'member, no unit detail', request: request(undefined, 'start'), expected: 'NOT_HANDLED' },
  ...OTHER_ACTIONS.map((actionId) => ({ name: `member, action ${actionId}`, request: request(instance('compute'), 'start', MEMBER, actionId), expected: 'NOT_HANDLED' as const })),
  ...NON_MEMBERS.flatMap((groups) =>
    MODES.map((mode) => ({ name: `groups [${groups.join(',')}] start ${instance(mode)}`, request: request(instance(mode), 'start', groups), expected: 'NOT_HANDLED' as const })),
  ),
];

const MATRIX = [...allowed, ...notHandled, ...cancelAllowed, ...cancelRefused];

/** Case name → verdict, for a readable diff when the rule and the matrix disagree. */
async function verdictsOf(rules: string): Promise<Record<string, string>> {
  const outcome = await judgeWithDuk(rules, MATRIX.map((c) => c.request));
  if (!outcome.ran) throw new Error(`duk did not run the rule: ${outcome.output}`);
  return Object.fromEntries(MATRIX.map((c, i) => [c.name, outcome.verdicts[i] ?? 'missing']));
}
const expectedVerdicts = Object.fromEntries(MATRIX.map((c) => [c.name, c.expected]));

/** The rule's code without comments (which may name what they forbid). */
function code(rules: string): string {
  return rules.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describeWhen(toolPrerequisites(['duk']).map((problem) => `${problem}: apt-get install duktape (.ci/run installs it)`), 'the polkit rule under duk', () => {
  it('allows a modectl member to start each mode and handles nothing else', async () => {
    expect(await verdictsOf(RULES)).toEqual(expectedVerdicts);
  });

  it('covers every mode, and more denials than grants', () => {
    expect(allowed.filter((c) => c.request.groups === MEMBER).map((c) => c.request.details.unit)).toEqual(MODES.map(instance));
    expect(notHandled.length).toBeGreaterThan(allowed.length * 10);
  });

  it('tells a permissive rule apart (the matrix can fail)', async () => {
    const permissive = 'polkit.addRule(function (action, subject) { return polkit.Result.YES; });';
    const verdicts = await verdictsOf(permissive);
    expect(verdicts).not.toEqual(expectedVerdicts);
    expect(verdicts['member stops mode-controller@compute.service']).toBe('yes');
  });

  it('tells a rule that ignores the verb apart', async () => {
    const verbBlind = RULES.replace('action.lookup("verb") !== "start"', 'false');
    expect(verbBlind).not.toBe(RULES);
    expect((await verdictsOf(verbBlind))['member set-propertys mode-controller@compute.service']).toBe('yes');
  });

  it('is refused by duk when it uses ES2015 syntax (duk is a real ES5 check)', async () => {
    for (const es2015 of [RULES.replace('var unit', 'let unit'), RULES.replace('function (action, subject) {', '(action, subject) => {')]) {
      expect(es2015).not.toBe(RULES);
      const outcome = await judgeWithDuk(es2015, []);
      expect(outcome.ran).toBe(false);
    }
  });

  it('uses none of what duk accepts but polkitd must not see: const, includes, template literals, classes, spread', () => {
    const forbidden: Record<string, RegExp> = {
      'arrow function': /=>/,
      let: /\blet\b/,
      const: /\bconst\b/,
      'template literal': /`/,
      'Array.prototype.includes': /\.includes\s*\(/,
      class: /\bclass\b/,
      spread: /\.\.\./,
    };
    const found = Object.entries(forbidden)
      .filter(([, pattern]) => pattern.test(code(RULES)))
      .map(([name]) => name);
    expect(found).toEqual([]);
    expect(code('var a = 1; // const b\n// let c\nvar d = [].includes(1);')).toMatch(/includes/);
  });
});
