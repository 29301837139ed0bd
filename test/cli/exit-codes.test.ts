// Exit statuses are one table: distinct values, 1 only for internal errors,
// and every outcome and guard verdict mapped to its own documented status.
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_MEANING, exitForGuardVerdict, exitForObservedMode, exitForOutcome, exitName } from '../../cli/exit-codes.ts';
import { Outcome } from '../../schemas/records.ts';
import { COMMANDS } from '../../cli/table.ts';

describe('exit codes', () => {
  it('are distinct, fit a byte, and each has a meaning', () => {
    const values = Object.values(EXIT);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(126);
    }
    expect(Object.keys(EXIT_MEANING).sort()).toEqual(Object.keys(EXIT).sort());
  });

  it('keep 1 for internal errors and 2 for usage, as Node and shells expect', () => {
    expect(EXIT.internal).toBe(1);
    expect(EXIT.usage).toBe(2);
    expect(exitName(1)).toBe('internal');
  });

  it('give success only to succeeded and noop', () => {
    for (const outcome of Outcome.options) {
      expect(exitForOutcome(outcome) === EXIT.ok, outcome).toBe(outcome === 'succeeded' || outcome === 'noop');
    }
  });

  it('tell blocked, rolled back, degraded and busy apart', () => {
    const codes = (['blocked', 'rolled-back', 'degraded', 'busy'] as const).map(exitForOutcome);
    expect(new Set([...codes, EXIT.ok, EXIT.usage, EXIT.internal]).size).toBe(7);
  });

  it('tell pass, soft-only and hard block apart', () => {
    const codes = (['pass', 'soft-only', 'hard-block'] as const).map(exitForGuardVerdict);
    expect(codes).toEqual([EXIT.ok, EXIT.softOnly, EXIT.blocked]);
  });

  it('give 0 only to a proven mode', () => {
    expect(exitForObservedMode('compute')).toBe(EXIT.ok);
    expect(exitForObservedMode('degraded')).toBe(EXIT.degraded);
    expect(exitForObservedMode('unknown')).toBe(EXIT.unknown);
  });

  it('every verb documents usage errors or has no arguments to get wrong', () => {
    for (const command of COMMANDS) {
      const takesInput = command.arguments.length > 0;
      if (takesInput) expect(command.exits, command.path.join(' ')).toContain('usage');
      expect(command.exits, command.path.join(' ')).toContain('ok');
    }
  });
});
