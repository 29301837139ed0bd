// The facts each guard looks at, as checks. guards.ts turns them into
// verdicts with a code and a severity.
import type { Config } from '../schemas/config.ts';
import type { AudioStream, Facts } from '../schemas/facts.ts';
import type { PlanStep } from '../schemas/records.ts';
import { combine, conflict, fine, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';
import { describeSession, graphicalSessions, whyNotTerminable } from './sessions.ts';
import { unitIsolatable, unitLoadable } from './units.ts';

const MIB = 1024 * 1024;

/** one stream as evidence: who plays it and in which state, as the sound server reported it */
const streamLine = (s: AudioStream): string =>
  `stream ${s.id} application ${s.application ?? '?'} pid ${s.pid ?? '?'}${s.uid === null ? '' : ` user ${s.uid}`} ${s.corked === true ? 'corked' : s.running ? 'running' : 'not running'}`;

export function audioIdle(facts: Facts, config: Config): Check {
  const { alsa, audioStreams, audioProcesses } = facts;
  const checks: Check[] = [];
  if (alsa.status === 'unknown') checks.push(missingFact(unknownFactReason(alsa, 'alsa')));
  else {
    const running = alsa.value.filter((s) => s.running);
    checks.push(
      running.length === 0
        ? fine([evidenceOf(alsa, 'alsa', [`${alsa.value.length} substreams, none RUNNING`])])
        : conflict(
            reason('audio-active', `ALSA substream ${running.map((s) => s.path).join(', ')} is RUNNING`, ['alsa'], [
              evidenceOf(alsa, 'alsa', running.map((s) => `${s.path}: state ${s.state ?? '?'} owner pid ${s.ownerPid ?? '?'}`)),
            ]),
          ),
    );
  }
  if (audioStreams.status === 'unknown') checks.push(missingFact(unknownFactReason(audioStreams, 'audioStreams')));
  else {
    const playing = audioStreams.value.filter((s) => s.running && s.corked !== true);
    checks.push(
      playing.length === 0
        ? fine([evidenceOf(audioStreams, 'audioStreams', [`${audioStreams.value.length} streams, none playing`, ...audioStreams.value.map(streamLine)])])
        : conflict(
            reason('audio-active', `audio stream ${playing.map((s) => `${s.id} (${s.application ?? '?'}${s.pid === null ? '' : `, pid ${s.pid}`})`).join(', ')} is playing`, ['audioStreams'], [
              evidenceOf(audioStreams, 'audioStreams', playing.map(streamLine)),
            ]),
          ),
    );
  }
  if (audioProcesses.status === 'unknown') checks.push(missingFact(unknownFactReason(audioProcesses, 'audioProcesses')));
  else {
    const watched = new Set(config.audio.processes);
    const live = audioProcesses.value.filter((p) => watched.has(p.name));
    checks.push(
      live.length === 0
        ? fine([evidenceOf(audioProcesses, 'audioProcesses', [`none of ${config.audio.processes.join(', ') || '(no configured processes)'} is running`])])
        : conflict(
            reason('audio-active', `audio process ${live.map((p) => `${p.name} (pid ${p.pid})`).join(', ')} is running`, ['audioProcesses'], [
              evidenceOf(audioProcesses, 'audioProcesses', live.map((p) => `pid ${p.pid} ${p.name}`)),
            ]),
          ),
    );
  }
  return combine(...checks);
}

export function sessionsTerminable(facts: Facts): Check {
  const sessions = facts.sessions;
  if (sessions.status === 'unknown') return missingFact(unknownFactReason(sessions, 'sessions'));
  const graphical = graphicalSessions(facts) ?? [];
  const stuck = graphical.flatMap((s) => {
    const why = whyNotTerminable(s);
    return why === null ? [] : [{ s, why }];
  });
  if (stuck.length === 0) return fine([evidenceOf(sessions, 'sessions', graphical.map(describeSession))]);
  return combine(
    ...stuck.map(({ s, why }) =>
      conflict(
        reason('session-not-terminable', `the graphical session ${s.id} of user ${s.user ?? '?'} cannot be ended by compute: ${why}`, ['sessions', s.id], [
          evidenceOf(sessions, `sessions.${s.id}`, [describeSession(s)]),
        ]),
      ),
    ),
  );
}

export function memoryHeadroom(facts: Facts, config: Config): Check {
  const memory = facts.memory;
  if (memory.status === 'unknown') return missingFact(unknownFactReason(memory, 'memory'));
  const neededKiB = config.thresholds.memoryHeadroomMiB * 1024;
  const available = memory.value.memAvailableKiB;
  const evidence = [evidenceOf(memory, 'memory.memAvailableKiB', [`MemAvailable: ${available ?? 'absent'} kB`, `MemTotal: ${memory.value.memTotalKiB ?? 'absent'} kB`])];
  if (available === null) {
    return missingFact(reason('fact-unknown', 'MemAvailable is absent from /proc/meminfo; the headroom cannot be judged', ['memory', 'memAvailableKiB'], evidence));
  }
  if (available >= neededKiB) return fine(evidence);
  return conflict(
    reason(
      'memory-headroom',
      `MemAvailable is ${Math.floor(available / 1024)} MiB, below the ${config.thresholds.memoryHeadroomMiB} MiB compute needs`,
      ['memory', 'memAvailableKiB'],
      evidence,
    ),
  );
}

/** Units the plan starts, isolates or sets properties on — including what rollback would start. */
export function unitsTouchedByPlan(plan: PlanStep[]): string[] {
  const units = plan
    .flatMap((s) => [s.action, s.inverse])
    .flatMap((a) => (a && (a.kind === 'start' || a.kind === 'isolate' || a.kind === 'set-property') ? [a.unit] : []));
  return [...new Set(units)];
}

/** Targets the plan (or its rollback) isolates. */
export function unitsIsolatedByPlan(plan: PlanStep[]): string[] {
  return [...new Set(plan.flatMap((s) => [s.action, s.inverse]).flatMap((a) => (a?.kind === 'isolate' ? [a.unit] : [])))];
}

export function unitsLoadable(facts: Facts, units: string[], isolated: string[] = []): Check {
  return combine(...units.map((unit) => unitLoadable(facts, unit)), ...isolated.map((unit) => unitIsolatable(facts, unit)));
}

export function persistencePaths(facts: Facts, config: Config): Check {
  const wanted = [...new Set([...config.persistencePaths, ...(config.vllm.enable ? [config.vllm.modelStore] : [])])];
  const paths = facts.paths;
  if (paths.status === 'unknown') return missingFact(unknownFactReason(paths, 'paths'));
  const minFree = config.thresholds.minModelStoreFreeMiB;
  return combine(
    ...wanted.map((path) => {
      const state = paths.value.find((p) => p.path === path);
      if (!state) {
        return missingFact(reason('path-not-observed', `${path} was not among the paths the observer checked`, ['paths', path], [
          evidenceOf(paths, 'paths', paths.value.map((p) => p.path)),
        ]));
      }
      const free = state.freeBytes === null ? 'unknown' : `${Math.floor(state.freeBytes / MIB)} MiB free`;
      const evidence = [evidenceOf(paths, `paths.${path}`, [`${path}: exists=${state.exists} directory=${String(state.isDirectory)} ${free}`])];
      if (!state.exists) return conflict(reason('path-missing', `${path} does not exist`, ['paths', path], evidence));
      if (state.isDirectory === false) return conflict(reason('path-not-directory', `${path} is not a directory`, ['paths', path], evidence));
      if (state.freeBytes === null) {
        return missingFact(reason('fact-unknown', `the free space on ${path} could not be read`, ['paths', path, 'freeBytes'], evidence));
      }
      if (state.freeBytes < minFree * MIB) {
        return conflict(reason('path-space-low', `${path} has ${free}, below the ${minFree} MiB required`, ['paths', path, 'freeBytes'], evidence));
      }
      return fine(evidence);
    }),
  );
}

export function gpusVisible(facts: Facts, config: Config): Check {
  const gpus = facts.gpus;
  if (gpus.status === 'unknown') return missingFact(unknownFactReason(gpus, 'gpus'));
  const wanted = [...new Set([...config.hardware.presentGpus, ...config.hardware.computeGpus])];
  const seen = gpus.value.map((g) => g.index);
  const evidence = [evidenceOf(gpus, 'gpus', [`visible GPU indices: ${seen.join(', ') || '(none)'}`])];
  const absent = wanted.filter((i) => !seen.includes(i));
  if (absent.length === 0) return fine(evidence);
  return conflict(reason('gpu-absent', `configured GPU ${absent.join(', ')} is not visible to nvidia-smi`, ['gpus'], evidence));
}
