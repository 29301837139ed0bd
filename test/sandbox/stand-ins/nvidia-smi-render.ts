// Pure rendering for the fake nvidia-smi: a real `nvidia-smi -q -x` capture
// is the template; only the fields that follow the sandbox change. The CSV
// forms (--query-gpu, --query-compute-apps) take their values from the same
// capture, in nvidia-smi's layout: ", " between fields, "[MiB]" in headers,
// "MiB" after values unless nounits.

export interface FakeGpuProcess {
  pid: number;
  type: 'G' | 'C' | 'C+G';
  name: string;
  usedMiB: number;
}

export interface FakeGpuState {
  now: Date;
  displayActive: boolean;
  processes: FakeGpuProcess[];
}

export interface TemplateGpu {
  busId: string;
  name: string;
  uuid: string;
  serial: string;
  minorNumber: string;
  driverVersion: string;
  displayMode: string;
  migMode: string;
  totalMiB: number;
  reservedMiB: number;
}

/** memory a GPU reports used with no process on it */
const IDLE_USED_MIB = 2;

function tag(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!match || match[1] === undefined) throw new Error(`the nvidia-smi template has no <${name}>`);
  return match[1];
}

function mib(text: string): number {
  const match = /^(\d+) MiB$/.exec(text);
  if (!match) throw new Error(`"${text}" is not "<n> MiB"`);
  return Number(match[1]);
}

export function readTemplate(xml: string): TemplateGpu {
  const busId = /<gpu id="([^"]+)">/.exec(xml)?.[1];
  if (!busId) throw new Error('the nvidia-smi template has no <gpu id="...">');
  const memory = /<fb_memory_usage>([\s\S]*?)<\/fb_memory_usage>/.exec(xml)?.[1] ?? '';
  return {
    busId,
    name: tag(xml, 'product_name'),
    uuid: tag(xml, 'uuid'),
    serial: tag(xml, 'serial'),
    minorNumber: tag(xml, 'minor_number'),
    driverVersion: tag(xml, 'driver_version'),
    displayMode: tag(xml, 'display_mode'),
    migMode: tag(xml, 'current_mig'),
    totalMiB: mib(tag(memory, 'total')),
    reservedMiB: mib(tag(memory, 'reserved')),
  };
}

export function usedMiB(state: FakeGpuState): number {
  return IDLE_USED_MIB + state.processes.reduce((sum, p) => sum + p.usedMiB, 0);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** ctime-like, as in `<timestamp>Thu Aug  6 01:03:40 2026</timestamp>` (UTC in the sandbox). */
export function xmlTimestamp(date: Date): string {
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${date.getUTCFullYear()}`;
}

/** As in the CSV captures: `2026/06/26 11:59:58.909`. */
export function csvTimestamp(date: Date): string {
  const day = `${date.getUTCFullYear()}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}`;
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
  return `${day} ${time}`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function processesBlock(processes: readonly FakeGpuProcess[], indent: string): string {
  const inner = processes.map((p) =>
    [
      `${indent}\t<process_info>`,
      `${indent}\t\t<gpu_instance_id>N/A</gpu_instance_id>`,
      `${indent}\t\t<compute_instance_id>N/A</compute_instance_id>`,
      `${indent}\t\t<pid>${p.pid}</pid>`,
      `${indent}\t\t<type>${p.type}</type>`,
      `${indent}\t\t<process_name>${escapeXml(p.name)}</process_name>`,
      `${indent}\t\t<used_memory>${p.usedMiB} MiB</used_memory>`,
      `${indent}\t</process_info>`,
    ].join('\n'),
  );
  return [`${indent}<processes>`, ...inner, `${indent}</processes>`].join('\n');
}

function replaceOnce(xml: string, pattern: RegExp, replacement: string | ((...groups: string[]) => string)): string {
  if (!pattern.test(xml)) throw new Error(`the nvidia-smi template does not match ${String(pattern)}`);
  // a function, so that "$" in a replacement (a process name) is never a group reference
  return xml.replace(pattern, (_match, ...groups: unknown[]) => (typeof replacement === 'string' ? replacement : replacement(...groups.map(String))));
}

export function renderXml(template: string, state: FakeGpuState): string {
  const gpu = readTemplate(template);
  const used = usedMiB(state);
  let xml = replaceOnce(template, /<timestamp>[^<]*<\/timestamp>/, `<timestamp>${xmlTimestamp(state.now)}</timestamp>`);
  xml = replaceOnce(xml, /<display_active>[^<]*<\/display_active>/, `<display_active>${state.displayActive ? 'Enabled' : 'Disabled'}</display_active>`);
  xml = replaceOnce(xml, /(<fb_memory_usage>[\s\S]*?<used>)\d+ MiB(<\/used>\s*<free>)\d+ MiB(<\/free>)/, (open = '', middle = '', close = '') => `${open}${used} MiB${middle}${gpu.totalMiB - gpu.reservedMiB - used} MiB${close}`);
  xml = replaceOnce(xml, /([ \t]*)<processes>[\s\S]*?<\/processes>/, processesBlock(state.processes, /([ \t]*)<processes>/.exec(xml)?.[1] ?? '\t\t'));
  return xml;
}

export interface CsvFormat {
  header: boolean;
  units: boolean;
}

/** `--format=csv,noheader,nounits` → {header: false, units: false}; null when it is not a CSV format. */
export function parseFormat(text: string): CsvFormat | null {
  const parts = text.split(',').map((p) => p.trim());
  if (parts[0] !== 'csv' || parts.slice(1).some((p) => p !== 'noheader' && p !== 'nounits')) return null;
  return { header: !parts.includes('noheader'), units: !parts.includes('nounits') };
}

interface Column {
  header: string;
  value: (unit: boolean) => string;
}

const memory = (name: string, n: number): Column => ({ header: `${name} [MiB]`, value: (units) => (units ? `${n} MiB` : String(n)) });
const plain = (name: string, value: string): Column => ({ header: name, value: () => value });

function gpuColumn(field: string, gpu: TemplateGpu, state: FakeGpuState): Column | null {
  const used = usedMiB(state);
  const columns: Record<string, () => Column> = {
    timestamp: () => plain('timestamp', csvTimestamp(state.now)),
    driver_version: () => plain('driver_version', gpu.driverVersion),
    count: () => plain('count', '1'),
    index: () => plain('index', '0'),
    name: () => plain('name', gpu.name),
    serial: () => plain('serial', gpu.serial),
    uuid: () => plain('uuid', gpu.uuid),
    'pci.bus_id': () => plain('pci.bus_id', gpu.busId),
    display_mode: () => plain('display_mode', gpu.displayMode),
    display_active: () => plain('display_active', state.displayActive ? 'Enabled' : 'Disabled'),
    'mig.mode.current': () => plain('mig.mode.current', gpu.migMode === 'N/A' ? '[N/A]' : gpu.migMode),
    'memory.total': () => memory('memory.total', gpu.totalMiB),
    'memory.reserved': () => memory('memory.reserved', gpu.reservedMiB),
    'memory.used': () => memory('memory.used', used),
    'memory.free': () => memory('memory.free', gpu.totalMiB - gpu.reservedMiB - used),
  };
  return columns[field]?.() ?? null;
}

function appColumn(field: string, gpu: TemplateGpu, state: FakeGpuState, p: FakeGpuProcess): Column | null {
  const columns: Record<string, () => Column> = {
    timestamp: () => plain('timestamp', csvTimestamp(state.now)),
    gpu_name: () => plain('gpu_name', gpu.name),
    gpu_bus_id: () => plain('gpu_bus_id', gpu.busId),
    gpu_serial: () => plain('gpu_serial', gpu.serial),
    gpu_uuid: () => plain('gpu_uuid', gpu.uuid),
    pid: () => plain('pid', String(p.pid)),
    process_name: () => plain('process_name', p.name),
    name: () => plain('process_name', p.name),
    used_gpu_memory: () => memory('used_gpu_memory', p.usedMiB),
    used_memory: () => memory('used_gpu_memory', p.usedMiB),
  };
  return columns[field]?.() ?? null;
}

export type CsvResult = { ok: true; text: string } | { ok: false; message: string };

function csv(rows: Column[][], headerColumns: Column[] | null, format: CsvFormat): string {
  const lines = [
    ...(format.header && headerColumns ? [headerColumns.map((c) => c.header).join(', ')] : []),
    ...rows.map((row) => row.map((c) => c.value(format.units)).join(', ')),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

const invalidField = (field: string): CsvResult => ({ ok: false, message: `Field "${field}" is not a valid field to query.\n\n` });

export function renderQueryGpu(fields: readonly string[], format: CsvFormat, template: string, state: FakeGpuState): CsvResult {
  const gpu = readTemplate(template);
  const row: Column[] = [];
  for (const field of fields) {
    const column = gpuColumn(field, gpu, state);
    if (!column) return invalidField(field);
    row.push(column);
  }
  return { ok: true, text: csv([row], row, format) };
}

/** Compute apps: C and C+G processes only; graphics-only (G) processes are not listed, as on a real driver. */
export function renderComputeApps(fields: readonly string[], format: CsvFormat, template: string, state: FakeGpuState): CsvResult {
  const gpu = readTemplate(template);
  const probe: FakeGpuProcess = { pid: 0, type: 'C', name: '', usedMiB: 0 };
  const header: Column[] = [];
  for (const field of fields) {
    const column = appColumn(field, gpu, state, probe);
    if (!column) return invalidField(field);
    header.push(column);
  }
  const rows = state.processes
    .filter((p) => p.type !== 'G')
    .map((p) => fields.map((field) => appColumn(field, gpu, state, p) as Column));
  return { ok: true, text: csv(rows, header, format) };
}
