// The sandbox's /etc/passwd, /etc/group and /etc/shadow: the host's, plus the
// desktop user whose graphical session the display-manager stand-in opens
// (a user that exists on every machine, so pam_unix and logind accept it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP_USER } from './layout.ts';

function withLine(path: string, name: string, line: string): string {
  const text = readFileSync(path, 'utf8');
  if (text.split('\n').some((l) => l.startsWith(`${name}:`))) return text;
  return `${text.endsWith('\n') || text === '' ? text : `${text}\n`}${line}\n`;
}

function idTaken(path: string, id: number, name: string): boolean {
  return readFileSync(path, 'utf8')
    .split('\n')
    .some((l) => l.split(':')[2] === String(id) && !l.startsWith(`${name}:`));
}

export function writeUserDatabase(etcDir: string): void {
  const { name, uid, gid } = DESKTOP_USER;
  if (idTaken('/etc/passwd', uid, name) || idTaken('/etc/group', gid, name)) {
    throw new Error(`uid/gid ${uid} is taken on this host; change DESKTOP_USER in test/sandbox/layout.ts`);
  }
  writeFileSync(join(etcDir, 'passwd'), withLine('/etc/passwd', name, `${name}:x:${uid}:${gid}:Dubnium desktop user (sandbox):/nonexistent:/usr/sbin/nologin`));
  writeFileSync(join(etcDir, 'group'), withLine('/etc/group', name, `${name}:x:${gid}:`));
  // locked password: the session is opened without authentication, as a display manager's autologin does
  writeFileSync(join(etcDir, 'shadow'), withLine('/etc/shadow', name, `${name}:!:20000:0:99999:7:::`), { mode: 0o640 });
}
