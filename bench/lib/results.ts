// The shape of bench/results/latest.json: every number the run measured,
// with what it was measured on. README's table is rendered from this alone.
import type { ProfileSummary } from './cpu-profile.ts';
import type { MachineInfo } from './machine.ts';
import type { RunSplit } from './record-split.ts';
import type { RequestTimeline } from './request-timeline.ts';
import type { ProcessActivity } from './request-activity.ts';
import type { Summary } from './stats.ts';
import type { SpawnedTool } from './strace-processes.ts';

export interface ColdCase {
  id: string;
  verb: 'status' | 'current --json --refresh';
  form: string;
  /** NODE_COMPILE_CACHE set: what a normal user gets (the CLI enables ~/.cache/dubnium-mode); root gets no cache */
  compileCache: boolean;
  ms: Summary;
  /** median over node -e 0's median, both from the same interleaved rounds */
  ratioToNode: number;
  /** per-round ratios (this case over node -e 0 in the same round) */
  pairedRatioToNode: Summary;
  /** median over the observation floor's median (the floor of what `current --refresh` does) */
  ratioToObserveFloor: number;
  pairedRatioToObserveFloor: Summary;
  exits: number[];
}

export interface SpawnCount {
  command: string;
  tools: SpawnedTool[];
  counts: Record<string, number>;
}

export interface PeakRss {
  unit: string;
  program: string;
  /** getrusage(RUSAGE_SELF) of the controller's node at exit */
  maxRssKiB: number;
  /** GNU time's figure: wait4's ru_maxrss, which folds in the largest reaped child */
  timeMaxRssKiB: number | null;
}

export interface Goal {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

/** One request of the studio round trip next to its own verified floor, from the same rounds. */
export interface RequestVsFloor {
  target: string;
  request: Summary;
  verifiedFloor: Summary;
  /** request median over its verified floor's median */
  ratio: number;
}

/** What measureStudio (bench/phases/round-trips.ts) finds. */
export interface StudioResult {
  controller: Summary;
  /** the systemctl script: the same calls, observing nothing (issue 8's floor; no goal since issue 17) */
  floor: Summary;
  ratio: number;
  pairedRatio: Summary;
  floorScript: string;
  /** per request the same systemctl calls plus one observation (the observer's own tool calls, at once) */
  verifiedFloor: Summary;
  verifiedRatio: number;
  verifiedPairedRatio: Summary;
  verifiedFloorScripts: string[];
  /** the observation's argv lists the verified floor ran (from the strace of one observation) */
  verifiedFloorArgv: string[][];
  perRequest: RequestVsFloor[];
  runs: RunSplit[];
  /** each request cut at its instants on CLOCK_MONOTONIC (CLI, PID 1, the run, the follower) */
  timelines: RequestTimeline[];
}

/** What one `mode request` started and wrote, on the CLI's side and inside the controller's unit. */
export interface RequestListing {
  mode: string;
  cli: ProcessActivity;
  controller: ProcessActivity;
}

/** What measureCompute (bench/phases/round-trips.ts) finds. */
export interface ComputeResult {
  roundTrip: Summary;
  runs: RunSplit[];
  timelines: RequestTimeline[];
}

/** The studio round trip with the audit log seeded near its rotation size (bench/phases/full-log.ts). */
export interface FullLogResult {
  rotateBytes: number;
  seededBytes: number;
  seededEvents: number;
  /** the log's size after the round trips: below rotateBytes, or the phase fails */
  endBytes: number;
  studio: StudioResult;
  /** the peak RSS of these round trips' controller runs */
  rss: { runs: PeakRss[] };
}

/** How a round-trip phase ran: how many rounds, and the program each round is. */
interface RoundTrips {
  rounds: number;
  program: string;
}

export interface BenchResults {
  schemaVersion: 2;
  date: string;
  durationS: number;
  machine: MachineInfo;
  loadAverage: { start: number[]; end: number[]; phases: Record<string, number[]> };
  settings: Record<string, number>;
  forms: { name: string; entry: string; description: string }[];
  /** .js files `npm run build:lib` (tsc) left out of its output and the bench copied in */
  tscBuildGaps: string[];
  coldStart: {
    rounds: number;
    nodeBare: Summary;
    /** node plus the observation's own tool calls in parallel: the floor of an observation from Node */
    observeFloor: Summary;
    observeFloorArgv: string[][];
    cases: ColdCase[];
  };
  spawns: { observation: SpawnCount; noopRun: SpawnCount } | { unavailable: string };
  /** module files each verb's own process opens (strace), by npm package or repo folder; empty without strace */
  moduleLoads: Record<string, { files: number; byGroup: Record<string, number> }>;
  studio: RoundTrips & StudioResult;
  compute: RoundTrips & ComputeResult;
  rss: { runs: PeakRss[] };
  /** the studio round trip on a full audit log; absent from results of before it was measured */
  fullLog?: RoundTrips & FullLogResult;
  /** what a request starts and writes (strace of one studio-local and one desktop request) */
  requests: RequestListing[];
  property: { scenariosPerRound: number; controllerRuns: number[]; seconds: number[]; runsPerSecond: Summary; scenariosPerSecond: Summary };
  profiles: Record<string, ProfileSummary>;
  goals: Goal[];
}
