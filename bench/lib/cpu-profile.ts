// Summarizes V8 .cpuprofile files (node --cpu-prof): self time per function
// and per module, so a missed goal is explained by a profile, not a guess.
// Several profiles of the same command are added up to smooth sampling noise.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  profiles: number;
  /** mean profiled time per run (starts after node's own bootstrap) */
  profiledMsPerRun: number;
  topFunctions: SelfTime[];
  topModules: SelfTime[];
}

export function parseCpuProfile(text: string, origin: string): CpuProfile {
  const value = JSON.parse(text) as Partial<CpuProfile>;
  if (!Array.isArray(value.nodes) || !Array.isArray(value.samples) || !Array.isArray(value.timeDeltas)) {
    throw new Error(`${origin} is not a V8 CPU profile (no nodes/samples/timeDeltas)`);
  }
  return value as CpuProfile;
}

/**
 * The module a frame belongs to: a package under node_modules, a repo file,
 * node's own internals, or V8's pseudo-frames ((program), (garbage collector)).
 */
export function moduleOf(frame: CallFrame, repoMarkers: readonly string[]): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.replace(/node_modules\/\.cache\//, ''));
  if (pkg) return `npm:${pkg[1]}`;
  const path = url.replace(/^file:\/\//, '');
  for (const marker of repoMarkers) {
    const at = path.indexOf(marker);
    if (at >= 0) return path.slice(at + marker.length);
  }
  return path;
}

function add(into: Map<string, number>, key: string, ms: number): void {
  into.set(key, (into.get(key) ?? 0) + ms);
}

function top(map: Map<string, number>, total: number, count: number): SelfTime[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, share: total > 0 ? ms / total : 0 }));
}

/** repoMarkers: path prefixes cut off module paths (the repo root, the build folder). */
export function summarizeProfiles(profiles: readonly CpuProfile[], repoMarkers: readonly string[], count = 12): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    // the time up to the next sample is the sample's self time (V8's own convention)
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      const frame = nodes.get(id)?.callFrame;
      if (!frame || ms <= 0) return;
      const module = moduleOf(frame, repoMarkers);
      add(byFunction, `${frame.functionName || '(anonymous)'} ${module}${frame.url ? `:${frame.lineNumber + 1}` : ''}`, ms);
      add(byModule, module, ms);
      total += ms;
    });
  }
  const profiled = profiles.reduce((sum, p) => sum + (p.endTime - p.startTime) / 1000, 0);
  return {
    profiles: profiles.length,
    profiledMsPerRun: profiles.length > 0 ? profiled / profiles.length : 0,
    topFunctions: top(byFunction, total, count),
    topModules: top(byModule, total, count),
  };
}
