// The parts of the world a test sets: a /proc root for the controller
// (meminfo, asound, <pid>/comm of audio processes) and the control files of
// the stand-ins. Files are replaced atomically (write, then rename), because
// the controller and the stand-ins may read them at any moment.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONTROL_FILES, type GpuControl, type VllmControl } from './stand-ins/control.ts';

export type AlsaState = 'closed' | 'OPEN' | 'SETUP' | 'PREPARED' | 'RUNNING' | 'XRUN' | 'DRAINING' | 'PAUSED' | 'SUSPENDED';

export interface AlsaSubstreamSpec {
  card: number;
  device: number;
  subdevice?: number;
  /** p: playback, c: capture */
  direction?: 'p' | 'c';
  state: AlsaState;
  ownerPid?: number;
}

export interface MemorySpec {
  totalKiB?: number;
  availableKiB?: number | null;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * The text of /proc/asound/cardN/pcmDx/subS/status, in the layout of the
 * kernel's snd_pcm_substream_proc_status_read() (sound/core/pcm.c): "closed"
 * when no one has the substream open, else the state and the owner's PID.
 */
export function alsaStatusText(spec: AlsaSubstreamSpec): string {
  if (spec.state === 'closed') return 'closed\n';
  return [
    `state: ${spec.state}`,
    `owner_pid   : ${spec.ownerPid ?? 0}`,
    'trigger_time: 5301.282945218',
    'tstamp      : 5312.771384029',
    'delay       : 2048',
    'avail       : 1024',
    'avail_max   : 1056',
    '-----',
    'hw_ptr      : 551424',
    'appl_ptr    : 553472',
    '',
  ].join('\n');
}

/** Replaces <proc>/asound with the given cards and substreams. */
export function writeAlsa(procDir: string, substreams: readonly AlsaSubstreamSpec[]): void {
  const next = join(procDir, `asound.next-${process.pid}`);
  const target = join(procDir, 'asound');
  const old = join(procDir, `asound.old-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  const cards = [...new Set(substreams.map((s) => s.card))].sort((a, b) => a - b);
  writeFileSync(join(next, 'cards'), cards.map((c) => ` ${c} [Sandbox${c}       ]: Sandbox - Sandbox card ${c}\n                      Sandbox card ${c} (stand-in)\n`).join(''));
  for (const s of substreams) {
    const dir = join(next, `card${s.card}`, `pcm${s.device}${s.direction ?? 'p'}`, `sub${s.subdevice ?? 0}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'status'), alsaStatusText(s));
  }
  for (const card of cards) writeFileSync(join(next, `card${card}`, 'id'), `Sandbox${card}\n`);
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(target, old);
  } catch {
    // first write: nothing to move away
  }
  renameSync(next, target);
  rmSync(old, { recursive: true, force: true });
}

/** The host's real /proc/meminfo with MemTotal/MemAvailable replaced (MemAvailable null: the line is dropped, as before Linux 3.14). */
export function memInfoText(base: string, spec: MemorySpec): string {
  const replace = (text: string, key: string, kib: number) =>
    text.replace(new RegExp(`^(${key}:\\s+)(\\d+)( kB)$`, 'm'), (_m, label: string, digits: string, unit: string) => `${label}${String(kib).padStart(digits.length, ' ')}${unit}`);
  let text = base;
  if (spec.totalKiB !== undefined) text = replace(text, 'MemTotal', spec.totalKiB);
  if (spec.availableKiB === null) text = text.replace(/^MemAvailable:.*\n/m, '');
  else if (spec.availableKiB !== undefined) text = replace(text, 'MemAvailable', spec.availableKiB);
  return text;
}

export function writeMemInfo(procDir: string, spec: MemorySpec): void {
  writeAtomically(join(procDir, 'meminfo'), memInfoText(readFileSync('/proc/meminfo', 'utf8'), spec));
}

export function writeVllmControl(worldDir: string, control: Partial<VllmControl>): void {
  writeAtomically(join(worldDir, CONTROL_FILES.vllm), `${JSON.stringify(control, null, 2)}\n`);
}

export function writeGpuControl(worldDir: string, control: Partial<GpuControl>): void {
  writeAtomically(join(worldDir, CONTROL_FILES.gpu), `${JSON.stringify(control, null, 2)}\n`);
}
