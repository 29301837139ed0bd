// One line per fact source: known with a short count, or unknown with its
// reason. Works on recorded facts whose values were not validated, so it
// only describes what it can see.
import type { FactEnvelope } from '../../schemas/cli-views.ts';
import type { FactName } from '../../schemas/facts.ts';
import type { Paint } from '../color.ts';
import { sourceLabel } from '../render/reasons.ts';

// schemas/facts.ts has this list too, but importing it would load zod on this path;
// the type below fails to compile if the two ever differ.
const FACT_NAMES = ['units', 'sessions', 'gpus', 'alsa', 'audioStreams', 'audioProcesses', 'audioRealtime', 'memory', 'paths', 'gpuHolders', 'model', 'slurm'] as const satisfies readonly FactName[];
/** absent when the config does not turn their source on: no line then */
const OPTIONAL: ReadonlySet<string> = new Set(['slurm']);
type Missing = Exclude<FactName, (typeof FACT_NAMES)[number]>;
const allNamed: Missing extends never ? true : false = true;
void allNamed;

function describeValue(name: string, value: unknown): string {
  if (Array.isArray(value)) return `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
  if (name === 'memory' && typeof value === 'object' && value !== null) {
    const m = value as { memAvailableKiB?: unknown; memTotalKiB?: unknown };
    const mib = (kib: unknown) => (typeof kib === 'number' ? `${Math.round(kib / 1024)} MiB` : 'unknown');
    return `available ${mib(m.memAvailableKiB)} of ${mib(m.memTotalKiB)}`;
  }
  if (name === 'audioRealtime' && typeof value === 'object' && value !== null) return describeRealtime(value);
  if (name === 'model' && typeof value === 'object' && value !== null) {
    const b = value as { directoryExists?: unknown; weightFiles?: unknown };
    if (b.directoryExists === false) return 'bundle absent';
    return Array.isArray(b.weightFiles) ? `${b.weightFiles.length} weight files` : 'known';
  }
  if (name === 'slurm' && typeof value === 'object' && value !== null) {
    const n = value as { node?: unknown; states?: unknown; jobs?: unknown };
    const states = Array.isArray(n.states) ? n.states.map(String).join('+') : 'state unknown';
    return `${String(n.node)} ${states}, ${Array.isArray(n.jobs) ? n.jobs.length : '?'} jobs`;
  }
  return 'known';
}

/** per PipeWire daemon, its realtime threads ("pipewire 812: data-loop.0 SCHED_RR 20") or that it has none */
function describeRealtime(value: { servers?: unknown }): string {
  if (!Array.isArray(value.servers)) return 'known';
  if (value.servers.length === 0) return 'no pipewire process';
  return (value.servers as { pid?: unknown; threads?: unknown }[])
    .map((s) => {
      const threads = Array.isArray(s.threads) ? (s.threads as { name?: unknown; policy?: unknown; rtPriority?: unknown }[]) : [];
      const realtime = threads.filter((t) => t.policy === 'SCHED_FIFO' || t.policy === 'SCHED_RR').map((t) => `${String(t.name)} ${String(t.policy)} ${String(t.rtPriority)}`);
      return `pipewire ${String(s.pid)}: ${realtime.length > 0 ? realtime.join(', ') : `no realtime thread of ${threads.length}`}`;
    })
    .join('; ');
}

export function factLines(facts: Readonly<Record<string, unknown>>, p: Paint): string[] {
  return FACT_NAMES.filter((name) => !OPTIONAL.has(name) || facts[name] !== undefined).map((name) => {
    const fact = facts[name] as FactEnvelope | undefined;
    const label = `  ${name.padEnd(15)}`;
    if (!fact) return `${label}${p.yellow('missing from the record')}`;
    const from = p.dim(`[${sourceLabel(fact.source)}]`);
    if (fact.status === 'known') return `${label}${p.green('known'.padEnd(9))}${describeValue(name, fact.value).padEnd(26)} ${from}`;
    const reason = fact.reason.length > 160 ? `${fact.reason.slice(0, 159)}…` : fact.reason;
    return `${label}${p.yellow('unknown'.padEnd(9))}${fact.code}: ${reason}`;
  });
}
