// The studio round trip again, with the audit log near its rotation size:
// what a request costs on a workstation whose log has filled, where the
// bench's other round trips start from a fresh one. The log is seeded from
// the sandbox's own events (bench/lib/audit-seed.ts), and the controller runs
// of these round trips report their peak RSS like the others.
import { DEFAULT_AUDIT_SETTINGS } from '../../effects/records/audit-log.ts';
import { AuditEvent } from '../../schemas/records.ts';
import { describeResult } from '../../test/sandbox/command.ts';
import { seedAuditLog } from '../lib/audit-seed.ts';
import type { FullLogResult, PeakRss } from '../lib/results.ts';
import { STATE_DIR, controllerPeakRss, writeInsideFile, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { measureStudio } from './round-trips.ts';

const AUDIT_LOG = `${STATE_DIR}/events.jsonl`;
const STUDIO_UNITS = ['studio-local', 'desktop'].map((mode) => `mode-controller@${mode}.service`);
// full, with room for the round trips' own events (~16 a round trip, ~5 KB) before it would rotate
export const SEED_SHARE = 0.9;

async function auditLogBytes(sandbox: ControllerSandbox): Promise<number> {
  const stat = await sandbox.exec(['stat', '-c', '%s', '--', AUDIT_LOG], 60_000);
  if (stat.exitCode !== 0) throw new Error(`cannot stat ${AUDIT_LOG} inside the sandbox: ${describeResult(stat)}`);
  return Number(stat.stdout.trim());
}

export async function measureFullLog(sandbox: ControllerSandbox, cliEntry: string, observation: string[][], rounds: number): Promise<FullLogResult> {
  const log = await sandbox.exec(['cat', '--', AUDIT_LOG], 60_000);
  if (log.exitCode !== 0) throw new Error(`cannot read ${AUDIT_LOG} inside the sandbox: ${describeResult(log)}`);
  const events = log.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => AuditEvent.parse(JSON.parse(l)));
  const rotateBytes = DEFAULT_AUDIT_SETTINGS.rotateBytes;
  const seed = seedAuditLog(events, Math.floor(rotateBytes * SEED_SHARE));
  const seedInside = writeInsideFile(sandbox, 'audit-seed.jsonl', seed.text);
  // cp onto the existing file keeps its owner and 0640; no writer runs between the round trips
  const copied = await sandbox.exec(['cp', '--', seedInside, AUDIT_LOG], 60_000);
  if (copied.exitCode !== 0) throw new Error(`cannot seed ${AUDIT_LOG}: ${describeResult(copied)}`);
  const runsBefore = await controllerPeakRss(sandbox, STUDIO_UNITS);
  const studio = await measureStudio(sandbox, cliEntry, observation, rounds);
  const endBytes = await auditLogBytes(sandbox);
  if (endBytes < seed.bytes) throw new Error(`the audit log rotated during the full-log round trips (${endBytes} bytes after ${seed.bytes} seeded): fewer rounds, or a smaller SEED_SHARE`);
  const runsAfter = await controllerPeakRss(sandbox, STUDIO_UNITS);
  // each unit's journal lists its runs in order: these round trips' are the ones after those before
  const ofUnit = (runs: PeakRss[], unit: string) => runs.filter((run) => run.unit === unit);
  const rss = STUDIO_UNITS.flatMap((unit) => ofUnit(runsAfter, unit).slice(ofUnit(runsBefore, unit).length));
  return { rotateBytes, seededBytes: seed.bytes, seededEvents: seed.events, endBytes, studio, rss: { runs: rss } };
}
