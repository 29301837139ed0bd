// Units fact: ONE `systemctl show` for every unit and slice the config names.
import type { Fact, UnitState } from '../../schemas/facts.ts';
import { configuredUnits } from './configured-units.ts';
import { commandSource, known, unknownFromCommand, unknownFromParse } from './fact-builders.ts';
import { runInContext, type ObserveContext } from './observe-context.ts';
import { splitLines } from './parsers/parse-result.ts';
import { parseSystemctlShow } from './parsers/systemctl-show.ts';
import { unitsForRequest } from './parsers/units-for-request.ts';

// AllowIsolate: a target the plan isolates must allow it, checked before anything is touched (catalogue row 11)
export const SHOW_PROPERTIES = 'Id,Names,LoadState,ActiveState,SubState,Result,CPUWeight,IOWeight,AllowIsolate';

export function systemctlShowArgs(units: readonly string[]): string[] {
  return ['show', `--property=${SHOW_PROPERTIES}`, '--', ...units];
}

export async function collectUnits(ctx: ObserveContext): Promise<Fact<UnitState[]>> {
  const requested = configuredUnits(ctx.config);
  const result = await runInContext(ctx, 'systemctl', systemctlShowArgs(requested));
  const readAt = ctx.now().toISOString();
  if (result.kind !== 'ok') return unknownFromCommand(result, readAt);
  const source = commandSource(result);
  const shown = parseSystemctlShow(result.stdout);
  if (!shown.ok) return unknownFromParse(shown, source, readAt, 'the output of systemctl show');
  const states = unitsForRequest(requested, shown.value, splitLines(result.stdout));
  if (!states.ok) return unknownFromParse(states, source, readAt, 'the output of systemctl show');
  return known(states.value, source, readAt);
}
