// What the controller unit's hardening costs each start: the settings of its
// "Hardening" block as `systemd-run -p` properties, and variants that leave one
// group of them out, so the groups' costs are told apart by measurement. The
// block starts at its first setting (CapabilityBoundingSet=) and runs to the
// end of [Service]; comments and blank lines are not settings.

export interface HardeningVariant {
  name: string;
  /** the settings this variant starts the transient unit with */
  settings: string[];
  /** the packaged settings it leaves out */
  leftOut: string[];
}

const FIRST_SETTING = 'CapabilityBoundingSet=';

/** Groups of settings that set up the same kind of thing, by the key of each; a setting may be in more than one. */
export const HARDENING_GROUPS: Readonly<Record<string, readonly string[]>> = {
  // every setting that makes the unit its own mount namespace, then the parts of it one by one
  'mount namespacing': ['PrivateMounts', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups', 'ProtectProc', 'ProcSubset'],
  'the read-only file system': ['ProtectSystem', 'ProtectHome'],
  'the private /tmp': ['PrivateTmp'],
  'the kernel and cgroup protections': ['ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups'],
  'the private /proc': ['ProtectProc', 'ProcSubset'],
  'the network namespace': ['PrivateNetwork', 'IPAddressDeny', 'RestrictAddressFamilies'],
  'the IPC namespace': ['PrivateIPC'],
  'the device policy': ['DevicePolicy', 'DeviceAllow', 'PrivateDevices'],
  'the system call filter': ['SystemCallFilter', 'SystemCallErrorNumber', 'SystemCallArchitectures'],
};

const keyOf = (setting: string): string => setting.slice(0, setting.indexOf('='));

export function hardeningSettings(unitText: string): string[] {
  const lines = unitText.split('\n');
  const first = lines.findIndex((line) => line.startsWith(FIRST_SETTING));
  if (first < 0) throw new Error(`no ${FIRST_SETTING} line in the unit: the hardening block has moved, so this bench would measure nothing`);
  const block: string[] = [];
  for (const line of lines.slice(first)) {
    if (line.startsWith('[')) break;
    if (/^[A-Z][A-Za-z]+=/.test(line)) block.push(line);
  }
  return block;
}

export function hardeningVariants(settings: readonly string[]): HardeningVariant[] {
  const variants: HardeningVariant[] = [
    { name: 'no hardening', settings: [], leftOut: [...settings] },
    { name: 'the packaged hardening', settings: [...settings], leftOut: [] },
  ];
  for (const [group, keys] of Object.entries(HARDENING_GROUPS)) {
    const leftOut = settings.filter((s) => keys.includes(keyOf(s)));
    if (leftOut.length === 0) throw new Error(`the unit has none of ${group}'s settings (${keys.join(', ')}): update HARDENING_GROUPS`);
    variants.push({ name: `without ${group}`, settings: settings.filter((s) => !leftOut.includes(s)), leftOut });
  }
  return variants;
}

/** One start: a transient oneshot running /bin/true with these settings; `--wait` returns when it has ended. */
export function transientStartArgv(variant: HardeningVariant, trueProgram: string): string[] {
  return ['systemd-run', '--wait', '--quiet', '--collect', '--service-type=oneshot', ...variant.settings.flatMap((s) => ['-p', s]), trueProgram];
}

/**
 * A /bin/sh script that runs the slots in their order and prints, per start,
 * `<variant index> <nanoseconds>` on CLOCK_REALTIME (`date +%s%N`, taken
 * inside, so no nsenter sits in the interval); it stops at the first start
 * that fails, naming it.
 */
export function timingScript(slots: readonly { index: number; argv: readonly string[] }[]): string {
  const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;
  const lines = slots.map(({ index, argv }) => `t0=$(date +%s%N); ${argv.map(quote).join(' ')} || { echo "start of variant ${index} failed" >&2; exit 1; }; t1=$(date +%s%N); echo "${index} $((t1 - t0))"`);
  return ['#!/bin/sh', ...lines, ''].join('\n');
}

/** The script's output back into nanoseconds per variant index. */
export function parseTimings(stdout: string, variants: number): number[][] {
  const byVariant: number[][] = Array.from({ length: variants }, () => []);
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
    const match = /^(\d+) (\d+)$/.exec(line.trim());
    if (!match || Number(match[1]) >= variants) throw new Error(`the timing script printed "${line}", not "<variant> <nanoseconds>"`);
    byVariant[Number(match[1])]!.push(Number(match[2]));
  }
  return byVariant;
}
