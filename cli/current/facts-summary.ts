// One line per fact source: known with a short count, or unknown with its
// reason. Works on recorded facts whose values were not validated, so it
// only describes what it can see.
import type { FactEnvelope } from '../../schemas/cli-views.ts';
import type { FactName } from '../../schemas/facts.ts';
import type { Paint } from '../color.ts';
import { sourceLabel } from '../render/reasons.ts';

// schemas/facts.ts has this list too, but importing it would load zod on this path;
// the type below fails to compile if the two ever differ.
const FACT_NAMES = ['units', 'sessions', 'gpus', 'alsa', 'audioStreams', 'audioProcesses', 'memory', 'paths', 'gpuHolders', 'model'] as const satisfies readonly FactName[];
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
  if (name === 'model' && typeof value === 'object' && value !== null) {
    const b = value as { directoryExists?: unknown; weightFiles?: unknown };
    if (b.directoryExists === false) return 'bundle absent';
    return Array.isArray(b.weightFiles) ? `${b.weightFiles.length} weight files` : 'known';
  }
  return 'known';
}

export function factLines(facts: Readonly<Record<string, unknown>>, p: Paint): string[] {
  return FACT_NAMES.map((name) => {
    const fact = facts[name] as FactEnvelope | undefined;
    const label = `  ${name.padEnd(15)}`;
    if (!fact) return `${label}${p.yellow('missing from the record')}`;
    const from = p.dim(`[${sourceLabel(fact.source)}]`);
    if (fact.status === 'known') return `${label}${p.green('known'.padEnd(9))}${describeValue(name, fact.value).padEnd(26)} ${from}`;
    const reason = fact.reason.length > 160 ? `${fact.reason.slice(0, 159)}…` : fact.reason;
    return `${label}${p.yellow('unknown'.padEnd(9))}${fact.code}: ${reason}`;
  });
}
