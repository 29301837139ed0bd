// Doctor's verdict on the rival managers (rival-catalogue.ts): one check for
// each rival that is active or enabled, saying what it touches that Dubnium
// touches, warn or fail by the catalogue's severity, made worse by what its
// unit file really says (a Conflicts= on a mode's unit; being stopped by
// compute's isolate). None active or enabled: one pass. Pure.
import type { Evidence } from '../../schemas/records.ts';
import type { RivalObservation, RivalSpec, RivalUnitState, UserRivalState } from '../../effects/observe/collect-rivals.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { isDubniumUnit, RIVALS, type Rival } from './rival-catalogue.ts';

// what systemd calls a unit that starts at boot or through its [Install] alias
const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'alias']);
const RUNNING_STATES = new Set(['active', 'activating', 'reloading', 'deactivating']);

export function rivalSpec(rivals: readonly Rival[] = RIVALS): RivalSpec {
  return {
    systemUnits: rivals.filter((r) => r.manager === 'system').map((r) => r.unit),
    userUnits: rivals.filter((r) => r.manager === 'user').map((r) => r.unit),
    configFiles: rivals.flatMap((r) => r.configFiles.map((f) => ({ unit: r.unit, path: f.path, keys: f.keys }))),
  };
}

interface Present {
  rival: Rival;
  how: string[];
  evidence: Evidence[];
  /** collisions its unit file adds to the catalogue's */
  notes: string[];
  escalate: boolean;
}

/** `configured`: the units the config names (configuredUnits), the ones a transition starts, stops or proves. */
export function rivalChecks(observed: RivalObservation, configured: readonly string[], rivals: readonly Rival[] = RIVALS): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const [name, fact] of [['units', observed.units], ['user', observed.user]] as const) {
    if (fact.status === 'unknown') {
      checks.push({
        id: `rival-managers:${name}`,
        title: name === 'units' ? 'the units of rival managers can be read' : 'the user units of rival managers can be read',
        status: 'unknown',
        message: `the fact rivals.${name} could not be read: ${fact.reason}`,
        evidence: [{ fact: `rivals.${name}`, source: fact.source, lines: [`unknown (${fact.code}): ${fact.reason}`] }],
      });
    }
  }
  const states = observed.units.status === 'known' ? observed.units.value : [];
  const users = observed.user.status === 'known' ? observed.user.value : [];
  const present: Present[] = [];
  for (const rival of rivals) {
    const found = rival.manager === 'system' ? systemPresence(rival, states.find((s) => s.unit === rival.unit), observed, configured) : userPresence(rival, users.find((u) => u.unit === rival.unit), observed);
    if (found) present.push(found);
  }
  // a Conflicts= between two present rivals: whichever starts last stops the other
  for (const p of present) {
    const state = states.find((s) => s.unit === p.rival.unit);
    const rivalsItStops = present.filter((q) => q !== p && (state?.conflicts.includes(q.rival.unit) || states.find((s) => s.unit === q.rival.unit)?.conflicts.includes(p.rival.unit)));
    if (rivalsItStops.length > 0) p.notes.push(`it conflicts with ${rivalsItStops.map((q) => q.rival.unit).join(', ')} (Conflicts=), also here: whichever starts last stops the other, so which one is in charge depends on boot order`);
  }
  for (const p of present) checks.push(checkOf(p, observed));
  if (present.length === 0 && checks.length === 0) {
    checks.push({
      id: 'rival-managers',
      title: 'no other manager touches what Dubnium touches',
      status: 'pass',
      message: `none of ${rivals.map((r) => r.unit).join(', ')} is active or enabled`,
      evidence: observed.units.status === 'known' ? [{ fact: 'rivals.units', source: observed.units.source, lines: states.map(stateLine) }] : [],
    });
  }
  return checks;
}

function systemPresence(rival: Rival, state: RivalUnitState | undefined, observed: RivalObservation, configured: readonly string[]): Present | null {
  if (!state || state.loadState !== 'loaded') return null;
  const running = RUNNING_STATES.has(state.activeState);
  const enabled = ENABLED_STATES.has(state.unitFileState) || state.pulledInBy.length > 0;
  if (!running && !enabled) return null;
  const how = [running ? state.activeState : 'inactive', enabled ? `enabled${state.pulledInBy.length > 0 ? ` (wanted by ${state.pulledInBy.join(', ')})` : ''}` : 'not enabled'];
  const notes: string[] = [];
  const ours = state.conflicts.filter((u) => isDubniumUnit(u, configured));
  if (ours.length > 0) notes.push(`its unit conflicts with ${ours.join(', ')} (Conflicts=): starting it stops a unit of Dubnium's modes`);
  // compute.target conflicts with graphical.target: an isolate of it stops what only graphical.target pulls in
  const pulledByTargets = state.pulledInBy.filter((u) => u.endsWith('.target'));
  if (!state.ignoreOnIsolate && pulledByTargets.length > 0 && pulledByTargets.every((t) => t === 'graphical.target')) {
    notes.push("compute's isolate stops it and desktop starts it again (only graphical.target wants it), so it re-applies its settings at every return to desktop");
  }
  return { rival, how, notes, escalate: ours.length > 0, evidence: [{ fact: `rivals.${rival.unit}`, source: observed.units.status === 'known' ? observed.units.source : null, lines: [stateLine(state)] }] };
}

function userPresence(rival: Rival, state: UserRivalState | undefined, observed: RivalObservation): Present | null {
  if (!state) return null;
  const enabled = state.globalState !== null && ENABLED_STATES.has(state.globalState);
  if (state.runningFor.length === 0 && !enabled) return null;
  const how = [state.runningFor.length > 0 ? `running for user${state.runningFor.length === 1 ? '' : 's'} ${state.runningFor.join(', ')}` : 'not running', enabled ? 'enabled for every user (--global)' : 'not enabled'];
  const lines = [`${rival.unit} --global: ${state.globalState ?? 'no unit file'}; running under user@${state.runningFor.join(',') || '-'}.service`];
  return { rival, how, notes: [], escalate: false, evidence: [{ fact: `rivals.${rival.unit}`, source: observed.user.status === 'known' ? observed.user.source : null, lines }] };
}

function checkOf(p: Present, observed: RivalObservation): DoctorCheck {
  const configs = observed.configs.filter((c) => c.unit === p.rival.unit);
  const settings = configs.filter((c) => c.lines.length > 0).map((c) => `${c.path}: ${c.lines.slice(0, 4).join(', ')}${c.lines.length > 4 ? ', …' : ''}`);
  const status = p.escalate ? 'fail' : p.rival.severity;
  const message = [
    `${p.rival.name} (${p.rival.unit}) is ${p.how.join(', ')}: it touches ${p.rival.touches}`,
    ...p.notes,
    ...(settings.length > 0 ? [`it is set to ${settings.join('; ')}`] : []),
    status === 'fail' ? `disable it (on NixOS its services.* option) or leave the GPU and the display manager to Dubnium` : 'Dubnium sets none of these itself; disable it, or keep its settings constant across modes',
  ].join('; ');
  return {
    id: `rival:${p.rival.unit}`,
    title: `${p.rival.name} does not manage what Dubnium manages`,
    status,
    message,
    evidence: [...p.evidence, ...configs.map((c) => ({ fact: `rivals.${p.rival.unit}.config`, source: { kind: 'file' as const, path: c.path }, lines: c.lines.length > 0 ? c.lines : ['(none of the settings it names)'] }))],
  };
}

const stateLine = (s: RivalUnitState): string =>
  `${s.unit}: LoadState=${s.loadState} ActiveState=${s.activeState} UnitFileState=${s.unitFileState || '-'} Conflicts=${s.conflicts.join(' ') || '-'} WantedBy/RequiredBy=${s.pulledInBy.join(' ') || '-'}${s.fragmentPath ? ` FragmentPath=${s.fragmentPath}` : ''}`;
