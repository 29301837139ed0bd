import { describe, expect, it } from 'vitest';
import { describeSession, isGraphical, isSeat0UserGraphical, whyNotTerminable } from '../../../predicates/sessions.ts';
import { userSession } from '../support/facts.ts';

describe('graphical sessions', () => {
  it('x11, wayland and mir are graphical unless closing; tty and unspecified are not', () => {
    for (const type of ['x11', 'wayland', 'mir']) expect(isGraphical(userSession('1', { type }))).toBe(true);
    for (const type of ['tty', 'unspecified']) expect(isGraphical(userSession('1', { type }))).toBe(false);
    expect(isGraphical(userSession('1', { state: 'closing' }))).toBe(false);
    expect(isGraphical(userSession('1', { state: null }))).toBe(true);
  });

  it('only a user session on seat0 makes the desktop present', () => {
    expect(isSeat0UserGraphical(userSession('1'))).toBe(true);
    expect(isSeat0UserGraphical(userSession('1', { class: 'greeter' }))).toBe(false);
    expect(isSeat0UserGraphical(userSession('1', { seat: 'seat1' }))).toBe(false);
    expect(isSeat0UserGraphical(userSession('1', { type: 'tty' }))).toBe(false);
  });

  it('says why compute may not end a session, or null when it may', () => {
    expect(whyNotTerminable(userSession('2'))).toBeNull();
    expect(whyNotTerminable(userSession('c1', { class: 'greeter' }))).toBeNull();
    expect(whyNotTerminable(userSession('3', { class: 'lock-screen' }))).toBeNull();
    expect(whyNotTerminable(userSession('2', { seat: null }))).toBe('it is not on seat0 (seat none)');
    expect(whyNotTerminable(userSession('2', { seat: 'seat1' }))).toBe('it is not on seat0 (seat seat1)');
    expect(whyNotTerminable(userSession('2', { remote: true }))).toBe('it is a remote session');
    expect(whyNotTerminable(userSession('2', { remote: null }))).toBe('logind does not say whether it is remote');
    expect(whyNotTerminable(userSession('2', { class: 'background' }))).toBe('its class is background');
    expect(whyNotTerminable(userSession('x y'))).toBe('its id is not a plain session id');
    expect(whyNotTerminable(userSession(''))).toBe('its id is not a plain session id');
    expect(whyNotTerminable(userSession('a'.repeat(65)))).toBe('its id is not a plain session id');
    expect(whyNotTerminable(userSession('a'.repeat(64)))).toBeNull();
  });

  it('describes a session with every field an operator needs, unknown ones marked', () => {
    expect(describeSession(userSession('2'))).toBe('session 2 user=alice seat=seat0 type=wayland class=user state=active remote=false');
    expect(describeSession(userSession('4', { user: null, seat: null, state: null, remote: null }))).toBe('session 4 user=? seat=- type=wayland class=user state=? remote=null');
  });
});
