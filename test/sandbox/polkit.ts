// The sandbox's opt-in polkit (SandboxOptions.polkit): the real polkitd of
// Debian's package polkitd (122), D-Bus activated through our copy of its
// polkit.service, judging with the host's action files
// (/usr/share/polkit-1/actions, org.freedesktop.systemd1.policy among them)
// and Debian's own rules, plus the PROJECT's rule: the very file the NixOS
// module installs (nix/module.nix reads nix/polkit/50-mode-controller.rules
// into security.polkit.extraConfig; nix/tests/workstation.nix checks that it is
// that file), bound read-only at the path `mode request` names.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { POLKIT_RULE } from '../../cli/request/start-unit.ts';
import { REPO_ROOT, STUB_UNITS_DIR } from './layout.ts';

export const POLKITD = '/usr/lib/polkit-1/polkitd';
/** the rule the Nix module installs, in the repository */
export const PROJECT_RULE = join(REPO_ROOT, 'nix', 'polkit', '50-mode-controller.rules');
/** where polkitd reads the administrator's rules; the sandbox binds a folder holding only the project's rule here */
export const RULES_DIR_INSIDE = '/etc/polkit-1/rules.d';
/** the rule inside: the path the CLI's refusal names */
export const RULE_INSIDE = POLKIT_RULE;
/** our copy of Debian's polkit.service (not in the default unit folder) */
export const POLKIT_UNIT = join(STUB_UNITS_DIR, 'polkit', 'polkit.service');

const RULES_SUBDIR = 'polkit-rules';

/** What is missing to run polkitd in the sandbox: each entry says what to install. */
export function polkitPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(POLKITD)) missing.push(`${POLKITD} missing: apt-get install polkitd (Debian's polkit daemon)`);
  // the rules folder must exist on the host: the sandbox binds over it, and the root is read-only
  else if (!existsSync(RULES_DIR_INSIDE)) missing.push(`${RULES_DIR_INSIDE} missing: reinstall polkitd (apt-get install --reinstall polkitd)`);
  return missing;
}

/** The sandbox's rules folder (the project's rule, byte for byte) and the bind that puts it at RULES_DIR_INSIDE. */
export function writePolkitRules(dir: string): { source: string; target: string } {
  if (!RULE_INSIDE.startsWith(`${RULES_DIR_INSIDE}/`)) throw new Error(`the CLI names ${RULE_INSIDE}, which is not in ${RULES_DIR_INSIDE}`);
  const folder = join(dir, RULES_SUBDIR);
  // polkitd reads it as its own user (polkitd), after dropping root
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  copyFileSync(PROJECT_RULE, join(folder, RULE_INSIDE.slice(RULES_DIR_INSIDE.length + 1)));
  return { source: folder, target: RULES_DIR_INSIDE };
}
