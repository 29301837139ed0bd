// Runs a polkit rules file the way polkitd does, under Debian's duktape `duk`
// (the engine polkitd 122 embeds): a polkit object whose addRule collects the
// rule functions, then, for each request, the first function that returns a
// value decides (polkit's init.js `_runRules`); `action.lookup(key)` returns
// the detail or undefined, `subject.isInGroup` checks the subject's groups.
// The harness itself is ES5, like everything duk runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeResult, runCommand } from '../sandbox/command.ts';

export interface PolkitRequest {
  actionId: string;
  /** systemd's details of org.freedesktop.systemd1.manage-units: unit, verb */
  details: Record<string, string>;
  user: string;
  groups: string[];
  /** polkit's subject.local and subject.active: a session at the machine, in the foreground (default both true) */
  local?: boolean;
  active?: boolean;
}

/** polkit.Result values, and NOT_HANDLED when every rule returned null/undefined. */
export type PolkitVerdict = 'yes' | 'no' | 'auth_self' | 'auth_self_keep' | 'auth_admin' | 'auth_admin_keep' | 'NOT_HANDLED';

function harness(rules: string, requests: readonly PolkitRequest[]): string {
  return `var polkit = {
  Result: { NO: "no", YES: "yes", AUTH_SELF: "auth_self", AUTH_SELF_KEEP: "auth_self_keep",
            AUTH_ADMIN: "auth_admin", AUTH_ADMIN_KEEP: "auth_admin_keep", NOT_HANDLED: null },
  _ruleFuncs: [],
  addRule: function (callback) { this._ruleFuncs.push(callback); },
  addAdminRule: function (callback) {},
  log: function (message) {}
};
${rules}
;
var requests = ${JSON.stringify(requests)};
var verdicts = [];
function actionFor(request) {
  return { id: request.actionId, lookup: function (key) { return request.details[key]; } };
}
function subjectFor(request) {
  return {
    user: request.user, groups: request.groups, local: request.local !== false, active: request.active !== false,
    isInGroup: function (group) {
      for (var n = 0; n < request.groups.length; n++) { if (request.groups[n] === group) return true; }
      return false;
    }
  };
}
for (var i = 0; i < requests.length; i++) {
  var verdict = null;
  for (var r = 0; r < polkit._ruleFuncs.length; r++) {
    var returned = polkit._ruleFuncs[r](actionFor(requests[i]), subjectFor(requests[i]));
    if (returned) { verdict = returned; break; }
  }
  verdicts.push(verdict === null || verdict === undefined ? "NOT_HANDLED" : verdict);
}
print(JSON.stringify(verdicts));
`;
}

export type DukOutcome = { ran: true; verdicts: PolkitVerdict[] } | { ran: false; output: string };

/** Each request's verdict under `duk`, or what duk said when the script did not run. */
export async function judgeWithDuk(rules: string, requests: readonly PolkitRequest[]): Promise<DukOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'dubnium-polkit-'));
  try {
    const script = join(dir, 'harness.js');
    writeFileSync(script, harness(rules, requests));
    const result = await runCommand('duk', [script], { timeoutMs: 20_000 });
    if (result.exitCode !== 0) return { ran: false, output: describeResult(result) };
    return { ran: true, verdicts: JSON.parse(result.stdout) as PolkitVerdict[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
