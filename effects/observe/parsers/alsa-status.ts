// Parses one /proc/asound/cardC/pcmDp/subS/status file. The kernel writes
// `closed` when nobody has the substream open, otherwise `state: NAME` and
// `key : value` lines (owner_pid, trigger_time, ...) with a `-----` rule.
// RUNNING and DRAINING mean samples are flowing to the device now.
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export interface AlsaStatus {
  state: string;
  running: boolean;
  ownerPid: number | null;
}

const STATES = new Set(['OPEN', 'SETUP', 'PREPARED', 'RUNNING', 'XRUN', 'DRAINING', 'PAUSED', 'SUSPENDED', 'DISCONNECTED']);

export function parseAlsaStatus(text: string): ParseResult<AlsaStatus> {
  const lines = splitLines(text);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0) return emptyInput('an ALSA substream status ("closed" or "state: ...")');
  const head = lines[first]!.trim();
  if (head === 'closed') {
    const extra = lines.findIndex((line, i) => i > first && line.trim() !== '');
    if (extra >= 0) return failAt(lines, extra + 1, 'nothing is expected after "closed"');
    return parseOk({ state: 'closed', running: false, ownerPid: null });
  }
  const state = /^state:\s*([A-Z_]+)$/.exec(head);
  if (!state || !STATES.has(state[1]!)) return failAt(lines, first + 1, 'expected "closed" or "state: RUNNING|PREPARED|SETUP|XRUN|DRAINING|PAUSED|SUSPENDED|OPEN|DISCONNECTED"');
  let ownerPid: number | null = null;
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || /^-+$/.test(line)) continue;
    const field = /^([a-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!field) return failAt(lines, i + 1, 'expected "name : value"');
    if (field[1] === 'owner_pid') {
      if (!/^-?\d+$/.test(field[2]!)) return failAt(lines, i + 1, `owner_pid ${JSON.stringify(field[2])} is not a number`);
      const pid = Number(field[2]);
      // pid_vnr() prints 0 when the owner lives in another PID namespace
      ownerPid = pid > 0 ? pid : null;
    }
  }
  const name = state[1]!;
  return parseOk({ state: name, running: name === 'RUNNING' || name === 'DRAINING', ownerPid });
}
