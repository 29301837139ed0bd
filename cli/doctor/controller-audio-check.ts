// Whether the controller's unit itself can read the audio state. Doctor's own
// read (audio-streams in checks.ts) runs with the caller's rights, which are
// not the unit's: mode-controller@.service is root with only
// CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE, ProtectHome=yes and the sandboxing
// a drop-in may tighten, so a file root can read may still be closed to it.
// The honest witness is what the unit last saw: a run writes its observation
// to last-observation.json with its run id (`mode current --refresh`, outside
// the unit, writes none), and this judges that record. Pure.
import type { ObservationView } from '../../schemas/cli-views.ts';
import type { RecordRead } from '../record-views/read.ts';
import type { DoctorCheck } from './doctor-check.ts';

const ID = 'audio-streams-controller';
const TITLE = "the controller's unit read the audio state in its last run (what the audio-active guard sees)";
const HOW = 'run `mode request desktop` (a noop when already there) so that the unit observes, then run mode doctor again';

export function controllerAudioCheck(record: RecordRead<ObservationView>, recordPath: string, bootId: string | null): DoctorCheck {
  const source = { kind: 'file' as const, path: recordPath };
  if (record.status === 'missing') return { id: ID, title: TITLE, status: 'unknown', message: `no controller run has recorded an observation since boot; ${HOW}`, evidence: [{ fact: 'lastObservation', source, lines: ['missing'] }] };
  if (record.status === 'unreadable') return { id: ID, title: TITLE, status: 'unknown', message: `the record cannot be read: ${record.reason}; ${HOW}`, evidence: [{ fact: 'lastObservation', source, lines: [`unreadable: ${record.reason}`] }] };
  const r = record.value;
  const stamp = `written ${r.writtenAt} by ${r.runId === null ? '`mode current --refresh`' : `run ${r.runId}`}`;
  if (r.runId === null) return { id: ID, title: TITLE, status: 'unknown', message: `the last observation was made outside the controller's unit (${stamp}); ${HOW}`, evidence: [{ fact: 'lastObservation', source, lines: [stamp] }] };
  if (bootId !== null && r.bootId !== null && r.bootId !== bootId) return { id: ID, title: TITLE, status: 'unknown', message: `the last observation is from an earlier boot (${stamp}); ${HOW}`, evidence: [{ fact: 'lastObservation', source, lines: [stamp, `boot ${r.bootId}, now ${bootId}`] }] };
  const fact = r.facts.audioStreams;
  if (fact.status === 'unknown') {
    return {
      id: ID,
      title: TITLE,
      status: 'fail',
      message: `the controller's unit could not read it (${stamp}), so compute stays blocked: ${fact.reason}`,
      evidence: [{ fact: 'lastObservation.facts.audioStreams', source: fact.source, lines: [`unknown (${fact.code}): ${fact.reason}`, stamp] }],
    };
  }
  return { id: ID, title: TITLE, status: 'pass', message: `read by the unit (${stamp}): ${streamCount(fact.value)}`, evidence: [{ fact: 'lastObservation.facts.audioStreams', source: fact.source, lines: [stamp] }] };
}

// the view checks the envelope, not the value (a list of streams when known)
const streamCount = (value: unknown): string => (Array.isArray(value) ? `${value.length} stream${value.length === 1 ? '' : 's'}` : 'its streams');
