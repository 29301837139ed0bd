// The sandbox's /etc/passwd, /etc/group and /etc/shadow: the host's, plus the
// desktop user whose graphical session the display-manager stand-in opens
// (a user that exists on every machine, so pam_unix and logind accept it),
// and, with the polkit option, the group modectl with one member and one
// non-member (the users the polkit rule is tried with).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP_USER, MEMBER_USER, MODECTL_GROUP, NON_MEMBER_USER } from './layout.ts';

function withLine(path: string, name: string, line: string): string {
  const text = readFileSync(path, 'utf8');
  if (text.split('\n').some((l) => l.startsWith(`${name}:`))) return text;
  return `${text.endsWith('\n') || text === '' ? text : `${text}\n`}${line}\n`;
}

function appended(text: string, lines: readonly string[]): string {
  if (lines.length === 0) return text;
  return `${text.endsWith('\n') || text === '' ? text : `${text}\n`}${lines.join('\n')}\n`;
}

function idTaken(path: string, id: number, name: string): boolean {
  return readFileSync(path, 'utf8')
    .split('\n')
    .some((l) => l.split(':')[2] === String(id) && !l.startsWith(`${name}:`));
}

function nameTaken(path: string, name: string): boolean {
  return readFileSync(path, 'utf8')
    .split('\n')
    .some((l) => l.startsWith(`${name}:`));
}

export interface UserDatabaseOptions {
  /** add group modectl with MEMBER_USER in it, and NON_MEMBER_USER outside it (the polkit option) */
  modectl?: boolean;
}

interface Accounts {
  passwd: string[];
  group: string[];
  shadow: string[];
}

/** The polkit option's accounts; refused when the host already has one of the names or ids. */
function modectlAccounts(): Accounts {
  const accounts: Accounts = { passwd: [], group: [], shadow: [] };
  const clash: string[] = [];
  for (const user of [MEMBER_USER, NON_MEMBER_USER]) {
    if (nameTaken('/etc/passwd', user.name) || idTaken('/etc/passwd', user.uid, user.name)) clash.push(`user ${user.name} (uid ${user.uid})`);
    if (nameTaken('/etc/group', user.name) || idTaken('/etc/group', user.gid, user.name)) clash.push(`group ${user.name} (gid ${user.gid})`);
    accounts.passwd.push(`${user.name}:x:${user.uid}:${user.gid}:Dubnium operator (sandbox):/nonexistent:/usr/sbin/nologin`);
    accounts.group.push(`${user.name}:x:${user.gid}:`);
    accounts.shadow.push(`${user.name}:!:20000:0:99999:7:::`);
  }
  if (nameTaken('/etc/group', MODECTL_GROUP.name) || idTaken('/etc/group', MODECTL_GROUP.gid, MODECTL_GROUP.name)) clash.push(`group ${MODECTL_GROUP.name} (gid ${MODECTL_GROUP.gid})`);
  if (clash.length > 0) throw new Error(`the host already has ${clash.join(', ')}; change MEMBER_USER, NON_MEMBER_USER or MODECTL_GROUP in test/sandbox/layout.ts`);
  accounts.group.push(`${MODECTL_GROUP.name}:x:${MODECTL_GROUP.gid}:${MEMBER_USER.name}`);
  return accounts;
}

export function writeUserDatabase(etcDir: string, options: UserDatabaseOptions = {}): void {
  const { name, uid, gid } = DESKTOP_USER;
  if (idTaken('/etc/passwd', uid, name) || idTaken('/etc/group', gid, name)) {
    throw new Error(`uid/gid ${uid} is taken on this host; change DESKTOP_USER in test/sandbox/layout.ts`);
  }
  const extra = options.modectl ? modectlAccounts() : { passwd: [], group: [], shadow: [] };
  writeFileSync(join(etcDir, 'passwd'), appended(withLine('/etc/passwd', name, `${name}:x:${uid}:${gid}:Dubnium desktop user (sandbox):/home/${name}:/usr/sbin/nologin`), extra.passwd));
  writeFileSync(join(etcDir, 'group'), appended(withLine('/etc/group', name, `${name}:x:${gid}:`), extra.group));
  // locked password: the session is opened without authentication, as a display manager's autologin does
  writeFileSync(join(etcDir, 'shadow'), appended(withLine('/etc/shadow', name, `${name}:!:20000:0:99999:7:::`), extra.shadow), { mode: 0o640 });
}
