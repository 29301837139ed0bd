// What the other managers of the same knobs are doing (cli/doctor/rival-catalogue.ts
// names them): ONE `systemctl show` of their system units, whether the user unit
// (gamemoded.service) is enabled for every user and running under which user
// managers, and the setting lines of their config files. All read-only, each
// command with the observe timeout; an absent unit is `LoadState=not-found`,
// not an error.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSource } from '../../schemas/facts.ts';
import { commandSource, errorCode, known, unknown, unknownFromCommand, unknownFromParse } from './fact-builders.ts';
import { runInContext, type ObserveContext } from './observe-context.ts';
import { parseShownObjects } from './parsers/key-value-blocks.ts';
import { parseOk, type ParseResult } from './parsers/parse-result.ts';
import { listUserManagers } from './user-managers.ts';

export const RIVAL_PROPERTIES = 'Id,LoadState,ActiveState,SubState,UnitFileState,Conflicts,WantedBy,RequiredBy,IgnoreOnIsolate,FragmentPath';

export interface RivalUnitState {
  unit: string;
  loadState: string;
  activeState: string;
  unitFileState: string;
  conflicts: string[];
  /** the units that pull it in (WantedBy= and RequiredBy=): on NixOS, where units have no [Install], the real sign of "enabled" */
  pulledInBy: string[];
  ignoreOnIsolate: boolean;
  fragmentPath: string | null;
}

export interface UserRivalState {
  unit: string;
  /** `systemctl --global is-enabled` (null: no such unit file) */
  globalState: string | null;
  /** users whose manager runs it now (a non-empty cgroup under app.slice) */
  runningFor: number[];
}

export interface RivalConfigRead {
  unit: string;
  path: string;
  /** the setting lines named by the catalogue; empty when the file has none of them */
  lines: string[];
}

export interface RivalSpec {
  systemUnits: readonly string[];
  userUnits: readonly string[];
  configFiles: readonly { unit: string; path: string; keys: RegExp }[];
}

export interface RivalObservation {
  units: Fact<RivalUnitState[]>;
  user: Fact<UserRivalState[]>;
  configs: RivalConfigRead[];
}

const MAX_CONFIG_LINES = 12;
const list = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((s) => s !== '');

export async function collectRivals(ctx: ObserveContext, spec: RivalSpec, fsRoot = '/'): Promise<RivalObservation> {
  const [units, user, configs] = await Promise.all([collectSystemUnits(ctx, spec.systemUnits), collectUserUnits(ctx, spec.userUnits), readConfigs(spec.configFiles, fsRoot)]);
  return { units, user, configs };
}

async function collectSystemUnits(ctx: ObserveContext, units: readonly string[]): Promise<Fact<RivalUnitState[]>> {
  const result = await runInContext(ctx, 'systemctl', ['show', `--property=${RIVAL_PROPERTIES}`, '--', ...units]);
  const readAt = ctx.now().toISOString();
  if (result.kind !== 'ok') return unknownFromCommand(result, readAt);
  const source = commandSource(result);
  const parsed = parseRivalShow(result.stdout, units);
  if (!parsed.ok) return unknownFromParse(parsed, source, readAt, 'the output of systemctl show');
  return known(parsed.value, source, readAt);
}

const SHOWN = { what: '`systemctl show`', object: 'unit', required: ['Id', 'LoadState', 'ActiveState'], hint: `; was --property=${RIVAL_PROPERTIES} given?` };

/** Pure: `systemctl show` prints one block per unit asked for, in the order asked. */
export function parseRivalShow(text: string, units: readonly string[]): ParseResult<RivalUnitState[]> {
  const parsed = parseShownObjects(text, SHOWN, (block) => {
    const v = (key: string) => block.values.get(key);
    return parseOk<Omit<RivalUnitState, 'unit'>>({
      loadState: v('LoadState')!,
      activeState: v('ActiveState')!,
      unitFileState: v('UnitFileState') ?? '',
      conflicts: list(v('Conflicts')),
      pulledInBy: [...list(v('WantedBy')), ...list(v('RequiredBy'))],
      ignoreOnIsolate: v('IgnoreOnIsolate') === 'yes',
      fragmentPath: v('FragmentPath') || null,
    });
  });
  if (!parsed.ok) return parsed;
  if (parsed.value.length !== units.length) {
    return { ok: false, line: null, message: `systemctl show printed ${parsed.value.length} unit blocks for ${units.length} units asked for`, excerpt: text.split('\n').slice(0, 8) };
  }
  // named as asked: Id= is the unit's main name, which an alias asked for is not
  return parseOk(parsed.value.map((state, i) => ({ unit: units[i]!, ...state })));
}

async function collectUserUnits(ctx: ObserveContext, units: readonly string[]): Promise<Fact<UserRivalState[]>> {
  const cgroupRoot = ctx.roots.cgroup ?? join(ctx.roots.sys, 'fs', 'cgroup');
  const managers = listUserManagers(cgroupRoot);
  // without the managers no answer is whole: ask systemctl nothing
  if (!managers.ok) return unknown('unreadable', managers.reason, { kind: 'file', path: managers.path }, ctx.now().toISOString());
  const states: UserRivalState[] = [];
  let source: FactSource = { kind: 'file', path: cgroupRoot };
  for (const unit of units) {
    // no user manager needed: it reads the unit files and the global .wants links
    const result = await runInContext(ctx, 'systemctl', ['--global', 'is-enabled', '--', unit]);
    const readAt = ctx.now().toISOString();
    // is-enabled exits 1 for disabled and for an absent unit file; only the text tells them apart
    if (result.kind !== 'ok' && result.kind !== 'failed') return unknownFromCommand(result, readAt);
    source = commandSource(result);
    const printed = result.stdout.trim().split('\n')[0]?.trim() ?? '';
    const globalState = printed === '' || /No such file|not found/i.test(result.stderr) ? null : printed;
    const runningFor = managers.uids.filter((uid) => cgroupHasProcesses(join(cgroupRoot, 'user.slice', `user-${uid}.slice`, `user@${uid}.service`, 'app.slice', unit)));
    states.push({ unit, globalState, runningFor });
  }
  return known(states, source, ctx.now().toISOString());
}

function cgroupHasProcesses(folder: string): boolean {
  try {
    // cgroup.events says "populated 1" while any process of the unit lives, in it or below
    return /^populated 1$/m.test(readFileSync(join(folder, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

async function readConfigs(files: RivalSpec['configFiles'], fsRoot: string): Promise<RivalConfigRead[]> {
  const reads = await Promise.all(
    files.map(async ({ unit, path, keys }) => {
      try {
        const text = await readFile(join(fsRoot, path), 'utf8');
        return { unit, path, lines: settingLines(text, keys) };
      } catch (error) {
        // absent is the common case (the rival is not installed); unreadable is named
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
        return { unit, path, lines: [`unreadable: ${errorCode(error) ?? String(error)}`] };
      }
    }),
  );
  return reads.filter((r): r is RivalConfigRead => r !== null);
}

/** Pure: the lines that set something the catalogue names, comments and blanks left out, at most a dozen. */
export function settingLines(text: string, keys: RegExp): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';') && keys.test(line))
    .slice(0, MAX_CONFIG_LINES);
}
