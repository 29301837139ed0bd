// The schemas other programs read, by file name. JSON Schemas are generated
// from these into schemas/json/ (npm run schemas) and checked in CI.
import type { z } from 'zod';
import { CliError, CurrentOutput, DesiredOutput, DoctorOutput, ExplainOutput, RequestOutput, GuardsOutput, HistoryOutput, StatusOutput } from './cli-output.ts';
import { WatchEvent } from './cli-watch.ts';
import { Config } from './config.ts';
import { DebugParseOutput } from './debug-parse.ts';
import { Facts } from './facts.ts';
import { AuditEvent, DesiredRecord, GuardReport, Intent, TransitionRecord } from './records.ts';
import { CapabilityPlacementRecord, HardwareTopology, LockHolderNote, ObservationRecord } from './runtime-records.ts';

export const PUBLISHED_SCHEMAS: Record<string, z.ZodType> = {
  config: Config,
  facts: Facts,
  'guard-report': GuardReport,
  'transition-record': TransitionRecord,
  'desired-record': DesiredRecord,
  intent: Intent,
  'audit-event': AuditEvent,
  'observation-record': ObservationRecord,
  'capability-placement': CapabilityPlacementRecord,
  'hardware-topology': HardwareTopology,
  'lock-holder': LockHolderNote,
  'debug-parse': DebugParseOutput,
  'cli-status': StatusOutput,
  'cli-current': CurrentOutput,
  'cli-desired': DesiredOutput,
  'cli-explain': ExplainOutput,
  'cli-history': HistoryOutput,
  'cli-request': RequestOutput,
  'cli-guards': GuardsOutput,
  'cli-doctor': DoctorOutput,
  'cli-watch': WatchEvent,
  'cli-error': CliError,
};
