// `mode debug parse <source> [FILE|-]`: runs one parser on a saved output and
// returns what it extracts, exactly as the controller would read it, so an
// operator can attach it to a bug report ("paste your nvidia-smi -q -x").
// The CLI wires the verb; this is the function and its typed error.
import { DEBUG_PARSE_SOURCES, type DebugParseOutput, type DebugParseSource } from '../../schemas/debug-parse.ts';
import { parseAlsaStatus } from './parsers/alsa-status.ts';
import { parseBootctlStatus } from './parsers/bootctl-status.ts';
import { parseLoginctlList } from './parsers/loginctl-list.ts';
import { parseLoginctlShowSession } from './parsers/loginctl-show-session.ts';
import { displayControllers, parseLspci } from './parsers/lspci.ts';
import { parseMeminfo } from './parsers/meminfo.ts';
import { computeAppsFromCsv, gpusFromCsv, parseNvidiaCsv } from './parsers/nvidia-smi-csv.ts';
import { parseNvidiaSmiXml } from './parsers/nvidia-smi-xml.ts';
import type { ParseResult } from './parsers/parse-result.ts';
import { parseSystemctlShow } from './parsers/systemctl-show.ts';

export { DEBUG_PARSE_SOURCES };

export interface DebugParseOptions {
  /** column names for headerless nvidia-smi CSV (--format=csv,noheader) */
  fields?: readonly string[] | undefined;
}

export type DebugParseResult =
  | { ok: true; output: DebugParseOutput }
  | { ok: false; source: string; line: number | null; message: string; excerpt: string[] };

const CSV_SOURCES: readonly string[] = ['nvidia-smi-gpus', 'nvidia-smi-apps'];

export function isDebugParseSource(value: string): value is DebugParseSource {
  return (DEBUG_PARSE_SOURCES as readonly string[]).includes(value);
}

export function debugParse(source: string, text: string, options: DebugParseOptions = {}): DebugParseResult {
  if (!isDebugParseSource(source)) {
    return { ok: false, source, line: null, message: `unknown source ${JSON.stringify(source)}; use one of: ${DEBUG_PARSE_SOURCES.join(', ')}`, excerpt: [] };
  }
  if (options.fields !== undefined && !CSV_SOURCES.includes(source)) {
    return { ok: false, source, line: null, message: `--fields applies only to ${CSV_SOURCES.join(' and ')}, not to ${source}`, excerpt: [] };
  }
  const parsed = parseAs(source, text, options);
  if (!parsed.ok) return { ok: false, source, line: parsed.line, message: `${source}: ${parsed.message}`, excerpt: parsed.excerpt };
  return { ok: true, output: parsed.value };
}

function map<T>(result: ParseResult<T>, to: (value: T) => DebugParseOutput): ParseResult<DebugParseOutput> {
  return result.ok ? { ok: true, value: to(result.value) } : result;
}

function parseAs(source: DebugParseSource, text: string, options: DebugParseOptions): ParseResult<DebugParseOutput> {
  const schemaVersion = 1 as const;
  switch (source) {
    case 'nvidia-smi-xml':
      return map(parseNvidiaSmiXml(text), (gpus) => ({ schemaVersion, source, gpus }));
    case 'nvidia-smi-gpus': {
      const table = parseNvidiaCsv(text, options.fields);
      return map(table.ok ? gpusFromCsv(table.value) : table, (gpus) => ({ schemaVersion, source, gpus }));
    }
    case 'nvidia-smi-apps': {
      const table = parseNvidiaCsv(text, options.fields);
      return map(table.ok ? computeAppsFromCsv(table.value) : table, (processes) => ({ schemaVersion, source, processes }));
    }
    case 'systemctl-show':
      return map(parseSystemctlShow(text), (units) => ({ schemaVersion, source, units: units.map((u) => ({ ...u.state, names: u.names })) }));
    case 'loginctl-sessions':
      return map(parseLoginctlList(text), ({ format, sessions }) => ({
        schemaVersion,
        source,
        format,
        sessions: sessions.map((s) => ({ ...s, type: null, active: null, remote: null })),
      }));
    case 'loginctl-session':
      return map(parseLoginctlShowSession(text), (sessions) => ({ schemaVersion, source, sessions }));
    case 'alsa-status':
      return map(parseAlsaStatus(text), (status) => ({ schemaVersion, source, ...status }));
    case 'meminfo':
      return map(parseMeminfo(text), ({ memTotalKiB, memAvailableKiB }) => ({ schemaVersion, source, memTotalKiB, memAvailableKiB }));
    case 'lspci':
      return map(parseLspci(text), (devices) => ({ schemaVersion, source, devices, gpus: displayControllers(devices) }));
    case 'bootctl':
      return map(parseBootctlStatus(text), (bootloader) => ({ schemaVersion, source, ...bootloader }));
  }
}
