import { describe, expect, it } from 'vitest';
import { parseLoginctlList } from '../../effects/observe/parsers/loginctl-list.ts';
import { parseLoginctlShowSession } from '../../effects/observe/parsers/loginctl-show-session.ts';
import { real } from './fixtures.ts';

const list = (file: string) => {
  const parsed = parseLoginctlList(real(file));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

describe('loginctl list-sessions (real outputs)', () => {
  it('reads systemd 252 JSON and its "No sessions." table', () => {
    expect(list('g_loginctl/sandbox-252-list-sessions-json-none.json')).toEqual({ format: 'json', sessions: [] });
    expect(list('g_loginctl/sandbox-252-list-sessions-none.txt')).toEqual({ format: 'table', sessions: [] });
  });

  it('reads systemd 252 JSON and table with a real x11 session (empty TTY is null)', () => {
    const expected = { id: '33', uid: 4242, user: 'dubnium-desktop', seat: 'seat0', tty: null, leader: null, class: null, state: null };
    expect(list('g_loginctl/sandbox-252-list-sessions-json-x11-session.json')).toEqual({ format: 'json', sessions: [expected] });
    expect(list('g_loginctl/sandbox-252-list-sessions-table-x11-session.txt')).toEqual({ format: 'table', sessions: [expected] });
  });

  it('reads systemd 256 JSON with a null seat', () => {
    expect(list('g_loginctl/kolide-1759-v256.1-json-short-one-session.json').sessions).toEqual([
      { id: '3', uid: 1002, user: 'becca', seat: null, tty: 'pts/0', leader: 9206, class: 'user', state: null },
    ]);
  });

  it('reads the table systemd 256 prints although -o json was asked for (NixOS 24.11)', () => {
    const { format, sessions } = list('g_loginctl/systemd-35453-nixos-v256.8-output-json-ignored-table.txt');
    expect(format).toBe('table');
    expect(sessions.map((s) => [s.id, s.uid, s.user, s.seat, s.leader, s.class, s.tty])).toEqual([
      ['1', 132, 'gdm', null, 1038, 'manager-early', null],
      ['10', 0, 'root', null, 1807, 'user', 'pts/0'],
      ['9', 0, 'root', null, 1767, 'manager-early', null],
      ['c1', 132, 'gdm', 'seat0', 1011, 'greeter', 'tty7'],
    ]);
  });

  it('tells an empty SEAT from TTY by the header positions', () => {
    const { sessions } = list('g_loginctl/stackhpc-361-rocky-table-empty-seat.txt');
    expect(sessions.map((s) => [s.id, s.uid, s.user, s.seat, s.tty])).toEqual([
      ['1789', 1000, 'rocky', null, 'pts/0'],
      ['1796', 1000, 'rocky', null, 'n/a'],
      ['1797', 1006, 'lab0', null, 'pts/1'],
    ]);
  });

  it('reads older layouts: right-aligned ids, no TTY column, /dev/ prefixes', () => {
    expect(list('g_loginctl/python-systemd-81-v245-table-two-sessions.txt').sessions.map((s) => [s.id, s.uid, s.user, s.seat, s.tty])).toEqual([
      ['2', 1000, 'hossein', 'seat0', 'tty2'],
      ['c1', 121, 'gdm', 'seat0', 'tty1'],
    ]);
    expect(list('g_loginctl/systemd-536-2015-table-no-tty-column.txt').sessions.map((s) => [s.id, s.uid, s.seat, s.tty])).toEqual([
      ['1', 1000, 'seat0', null],
      ['3', 1000, 'seat0', null],
    ]);
    expect(list('g_loginctl/systemd-6516-v234-table-dev-tty-prefix.txt').sessions.map((s) => s.tty)).toEqual(['/dev/tty2', 'tty7']);
  });

  it('rejects what is not a session list, naming the line', () => {
    const error = parseLoginctlList(real('g_loginctl/devvm-not-booted-with-systemd.stderr.txt'));
    expect(error).toMatchObject({ ok: false, line: 1 });
    const json = parseLoginctlList('[{"session":"1"},\n{"uid":5}]\n');
    expect(json.ok).toBe(false);
    const broken = parseLoginctlList('[{"session":"1",\n "uid":1000,\n "user":"a" "seat":null}]\n');
    expect(broken).toMatchObject({ ok: false, line: 3 });
  });
});

describe('loginctl show-session (real outputs)', () => {
  it('reads the collector\'s own command on systemd 252, and the full property list the same way', () => {
    const session = { id: '33', user: 'dubnium-desktop', uid: 4242, seat: 'seat0', type: 'x11', class: 'user', active: true, state: 'active', remote: false, service: 'login', leader: 11 };
    expect(parseLoginctlShowSession(real('g_loginctl/sandbox-252-show-session-controller-properties.txt'))).toEqual({ ok: true, value: [session] });
    // the whole list has IdleHint=no: not idle, so for no time
    expect(parseLoginctlShowSession(real('g_loginctl/sandbox-252-show-session-all-properties.txt'))).toEqual({ ok: true, value: [{ ...session, idleHint: false, idleForMs: null }] });
  });

  it('reads IdleHint and how long the session has been idle on the reader\'s CLOCK_MONOTONIC (systemd 252, SetIdleHint as root)', () => {
    const session = { id: '36', user: 'dubnium-desktop', uid: 4242, seat: 'seat0', type: 'x11', class: 'user', active: true, state: 'active', remote: false, service: 'login', leader: 10 };
    expect(parseLoginctlShowSession(real('g_loginctl/sandbox-252-show-session-controller-properties-idle-hint-no.txt'), 11_480_000)).toEqual({ ok: true, value: [{ ...session, idleHint: false, idleForMs: null }] });
    const idle = real('g_loginctl/sandbox-252-show-session-controller-properties-idle-hint-yes.txt');
    // IdleSinceHintMonotonic=11479502446 µs: 2 s before a reader at 11481502.446 ms
    expect(parseLoginctlShowSession(idle, 11_481_502.446)).toEqual({ ok: true, value: [{ ...session, idleHint: true, idleForMs: 2000 }] });
    // without the reader's clock the duration is unknown, not zero
    expect(parseLoginctlShowSession(idle)).toEqual({ ok: true, value: [{ ...session, idleHint: true, idleForMs: null }] });
    // a reader whose clock is behind logind's (never on one boot) reads idle since now
    expect(parseLoginctlShowSession(idle, 11_479_000)).toMatchObject({ ok: true, value: [{ idleForMs: 0 }] });
  });

  it('reads a closing x11 session and leaves absent properties null', () => {
    const parsed = parseLoginctlShowSession(real('g_loginctl/systemd-536-2015-show-session-closing.txt'));
    expect(parsed.ok && parsed.value).toEqual([
      { id: '1', user: 'liveinstuser', uid: null, seat: null, type: 'x11', class: 'user', active: false, state: 'closing', remote: false, service: 'lightdm', leader: 1147, idleHint: false, idleForMs: null },
    ]);
  });

  it('reads several sessions separated by empty lines', () => {
    const text = `${real('g_loginctl/systemd-536-2015-show-session-closing.txt')}\n${real('g_loginctl/systemd-536-2015-show-session-active-x11.txt')}`;
    const parsed = parseLoginctlShowSession(text);
    expect(parsed.ok && parsed.value.map((s) => [s.id, s.active, s.state, s.leader])).toEqual([
      ['1', false, 'closing', 1147],
      ['3', true, 'active', 2208],
    ]);
  });

  it('rejects two sessions without the empty line between them', () => {
    const text = `${real('g_loginctl/systemd-536-2015-show-session-closing.txt')}${real('g_loginctl/systemd-536-2015-show-session-active-x11.txt')}`;
    const parsed = parseLoginctlShowSession(text);
    expect(parsed).toMatchObject({ ok: false, line: 20 });
    expect(!parsed.ok && parsed.message).toMatch(/Id appears twice/);
  });

  it('rejects a logind error message', () => {
    expect(parseLoginctlShowSession(real('f_systemd_errors/sandbox-252-ss-missing.stderr.txt'))).toMatchObject({ ok: false, line: 1 });
  });
});
