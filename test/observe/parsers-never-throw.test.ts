// Every parser is total: on any input it returns a value or a failure that
// names a line of that input; it never throws. Checked on arbitrary text and
// on real captures with lines dropped, duplicated or garbled.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseAlsaStatus } from '../../effects/observe/parsers/alsa-status.ts';
import { parseBootctlStatus } from '../../effects/observe/parsers/bootctl-status.ts';
import { parseLoginctlList } from '../../effects/observe/parsers/loginctl-list.ts';
import { parseLoginctlShowSession } from '../../effects/observe/parsers/loginctl-show-session.ts';
import { parseLspci } from '../../effects/observe/parsers/lspci.ts';
import { parseMeminfo } from '../../effects/observe/parsers/meminfo.ts';
import { computeAppsFromCsv, gpusFromCsv, parseNvidiaCsv } from '../../effects/observe/parsers/nvidia-smi-csv.ts';
import { parseNvidiaSmiXml } from '../../effects/observe/parsers/nvidia-smi-xml.ts';
import { parsePactlSinkInputs } from '../../effects/observe/parsers/pactl-sink-inputs.ts';
import { parseProcTaskStat } from '../../effects/observe/parsers/proc-task-stat.ts';
import type { ParseResult } from '../../effects/observe/parsers/parse-result.ts';
import { parseScontrolShowNode } from '../../effects/observe/parsers/scontrol-show-node.ts';
import { parseSqueueJobs } from '../../effects/observe/parsers/squeue-jobs.ts';
import { parseSystemctlShow } from '../../effects/observe/parsers/systemctl-show.ts';
import { real } from './fixtures.ts';

const csvGpus = (text: string) => {
  const t = parseNvidiaCsv(text);
  return t.ok ? gpusFromCsv(t.value) : t;
};
const csvApps = (text: string) => {
  const t = parseNvidiaCsv(text);
  return t.ok ? computeAppsFromCsv(t.value) : t;
};

const PARSERS: [string, (text: string) => ParseResult<unknown>, string][] = [
  ['systemctl show', parseSystemctlShow, 'e_systemctl_show/sandbox-252-names-alias-masked-runtime-weights.txt'],
  ['loginctl list (table)', parseLoginctlList, 'g_loginctl/systemd-35453-nixos-v256.8-output-json-ignored-table.txt'],
  ['loginctl list (json)', parseLoginctlList, 'g_loginctl/kolide-1759-v256.1-json-short-one-session.json'],
  ['loginctl show-session', parseLoginctlShowSession, 'g_loginctl/systemd-536-2015-show-session-closing.txt'],
  ['nvidia-smi -q -x', parseNvidiaSmiXml, 'd_nvidia_smi_xml/rtx4000-sff-ada-595-v13-cosmic-cplusg.xml'],
  ['nvidia-smi query-gpu', csvGpus, 'a_query_gpu_csv/h100-mig-590-full-query-gpu-212-fields-header-units.csv'],
  ['nvidia-smi query-compute-apps', csvApps, 'b_query_compute_apps_csv/rtx4080super-595-load-kwin-cplusg-and-ffmpeg.csv'],
  ['ALSA status', parseAlsaStatus, 'h_alsa_status/rpi3b-running-owner-pid.txt'],
  ['pactl sink-inputs', parsePactlSinkInputs, 'i_pactl/mon2cam-74-pipewire-spotify-uncorked.txt'],
  ['meminfo', parseMeminfo, 'j_proc_meminfo/devvm-kernel6.18-24gb.txt'],
  ['/proc/PID/task/TID/stat', parseProcTaskStat, 'm_proc_task_stat/debian12-systemd-252-sd-pam-comm-in-parens.txt'],
  ['lspci', parseLspci, 'k_lspci/egpu-switcher-22-grep-vga-3d-intel-unnamed-device.txt'],
  ['bootctl', parseBootctlStatus, 'l_bootctl/v246-lenovo-uefi2.00-systemd-boot-245.txt'],
  ['scontrol show node', (text) => parseScontrolShowNode(text, 'dubnium-sandbox'), 'n_slurm/slurm-22.05.8-show-draining.stdout.txt'],
  ['squeue jobs', parseSqueueJobs, 'n_slurm/slurm-22.05.8-squeue-two-running.stdout.txt'],
];

function checkTotal(parse: (text: string) => ParseResult<unknown>, text: string) {
  const result = parse(text);
  if (!result.ok) {
    expect(result.message.length).toBeGreaterThan(0);
    if (result.line !== null) {
      expect(result.line).toBeGreaterThanOrEqual(1);
      expect(result.line).toBeLessThanOrEqual(Math.max(1, text.replace(/\r\n/g, '\n').split('\n').length));
      expect(result.message).toMatch(new RegExp(`^line ${result.line}: `));
    }
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), with: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, edits: { kind: string; at: number; with?: string }[]): string {
  let lines = text.split('\n');
  for (const edit of edits) {
    const i = lines.length === 0 ? 0 : edit.at % lines.length;
    if (edit.kind === 'drop') lines.splice(i, 1);
    else if (edit.kind === 'repeat') lines.splice(i, 0, lines[i] ?? '');
    else if (edit.kind === 'replace') lines[i] = edit.with ?? '';
    else lines = [...lines.slice(0, i), (lines[i] ?? '').slice(0, edit.at % 7)];
  }
  return lines.join('\n');
}

describe.each(PARSERS)('the %s parser', (_name, parse, capture) => {
  test.prop([fc.string({ maxLength: 300 })])('never throws on arbitrary text', (text) => checkTotal(parse, text));
  test.prop([fc.array(mutation, { minLength: 1, maxLength: 4 })])('never throws on a damaged real capture', (edits) => checkTotal(parse, mutate(real(capture), edits)));
});
