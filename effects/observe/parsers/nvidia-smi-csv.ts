// Parses nvidia-smi's CSV (`--query-gpu=... --format=csv[,noheader][,nounits]`
// and `--query-compute-apps=...`). The header names the columns and their
// unit ("memory.used [MiB]"); without a header the caller names them
// (--fields). nvidia-smi does not quote cells, so a cell holding ", " splits;
// that is repaired only when a single free-text column can take the rest.
import { isNvidiaNull, parseEnabled, parseMiB, textOrNull } from './nvidia-values.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export interface CsvColumn {
  name: string;
  unit: string | null;
}
export interface CsvTable {
  columns: CsvColumn[];
  rows: { line: number; cells: string[] }[];
  lines: string[];
}

const FREE_TEXT = new Set(['name', 'gpu_name', 'process_name']);

export function parseNvidiaCsv(text: string, fields?: readonly string[]): ParseResult<CsvTable> {
  const lines = splitLines(text);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0 && fields === undefined) return emptyInput('nvidia-smi CSV output with a header line (or name the columns with --fields)');
  let columns: CsvColumn[];
  let bodyStart: number;
  if (fields !== undefined && fields.length > 0) {
    columns = fields.map((name) => ({ name: name.trim(), unit: null }));
    bodyStart = 0;
  } else {
    const header = lines[first]!.split(',').map((cell) => cell.trim());
    if (!header.every((cell) => /^[a-z][a-z0-9_.]*( \[[^\]]+\])?$/i.test(cell)) || header.some((cell) => /^\d/.test(cell))) {
      return failAt(lines, first + 1, 'expected a CSV header such as "index, memory.used [MiB]"; if the output was made with noheader, name the columns with --fields');
    }
    columns = header.map((cell) => {
      const match = /^(.*?)(?: \[([^\]]+)\])?$/.exec(cell)!;
      return { name: match[1]!, unit: match[2] ?? null };
    });
    bodyStart = first + 1;
  }
  const freeText = columns.map((c, i) => (FREE_TEXT.has(c.name) ? i : -1)).filter((i) => i >= 0);
  const rows: CsvTable['rows'] = [];
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let cells = line.split(',').map((cell) => cell.trim());
    if (cells.length > columns.length && freeText.length === 1) {
      const at = freeText[0]!;
      const extra = cells.length - columns.length;
      cells = [...cells.slice(0, at), cells.slice(at, at + extra + 1).join(', '), ...cells.slice(at + extra + 1)];
    }
    if (cells.length !== columns.length) {
      return failAt(lines, i + 1, `expected ${columns.length} comma-separated values (${columns.map((c) => c.name).join(', ')}), found ${cells.length}`);
    }
    rows.push({ line: i + 1, cells });
  }
  return parseOk({ columns, rows, lines });
}

export interface CsvGpu {
  index: number;
  busId: string | null;
  name: string | null;
  uuid: string | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  displayActive: boolean | null;
  migEnabled: boolean | null;
}

export interface CsvComputeApp {
  pid: number;
  name: string | null;
  usedMemoryMiB: number | null;
  gpuBusId: string | null;
  gpuUuid: string | null;
}

type Reader = { cell(name: string): string | null; mib(name: string): ParseResult<number | null> };

function reader(table: CsvTable, row: CsvTable['rows'][number]): Reader {
  const at = (name: string) => table.columns.findIndex((c) => c.name === name);
  return {
    cell(name) {
      const i = at(name);
      return i < 0 ? null : row.cells[i]!;
    },
    mib(name) {
      const i = at(name);
      if (i < 0) return parseOk(null);
      const value = parseMiB(row.cells[i]!, table.columns[i]!.unit ?? 'MiB');
      return value.ok ? parseOk(value.value) : failAt(table.lines, row.line, `${name}: ${value.message}`);
    },
  };
}

export function gpusFromCsv(table: CsvTable): ParseResult<CsvGpu[]> {
  if (!table.columns.some((c) => c.name === 'index')) return failAt(table.lines, null, 'the CSV has no index column; query it with --query-gpu=index,...');
  const gpus: CsvGpu[] = [];
  for (const row of table.rows) {
    const read = reader(table, row);
    const index = read.cell('index')!;
    if (!/^\d+$/.test(index)) return failAt(table.lines, row.line, `index ${JSON.stringify(index)} is not a number`);
    const used = read.mib('memory.used');
    if (!used.ok) return used;
    const total = read.mib('memory.total');
    if (!total.ok) return total;
    gpus.push({
      index: Number(index),
      busId: textOrNull(read.cell('pci.bus_id')),
      name: textOrNull(read.cell('name')),
      uuid: textOrNull(read.cell('uuid')),
      memoryUsedMiB: used.value,
      memoryTotalMiB: total.value,
      displayActive: parseEnabled(read.cell('display_active')),
      migEnabled: parseEnabled(read.cell('mig.mode.current')),
    });
  }
  return parseOk(gpus);
}

export function computeAppsFromCsv(table: CsvTable): ParseResult<CsvComputeApp[]> {
  if (!table.columns.some((c) => c.name === 'pid')) return failAt(table.lines, null, 'the CSV has no pid column; query it with --query-compute-apps=pid,...');
  const memoryColumn = table.columns.find((c) => c.name === 'used_gpu_memory' || c.name === 'used_memory')?.name ?? 'used_gpu_memory';
  const apps: CsvComputeApp[] = [];
  for (const row of table.rows) {
    const read = reader(table, row);
    const pid = read.cell('pid')!;
    if (!/^\d+$/.test(pid)) return failAt(table.lines, row.line, `pid ${JSON.stringify(pid)} is not a number`);
    const used = read.mib(memoryColumn);
    if (!used.ok) return used;
    const name = read.cell('process_name') ?? read.cell('name');
    apps.push({
      pid: Number(pid),
      name: name === null || isNvidiaNull(name) ? null : name,
      usedMemoryMiB: used.value,
      gpuBusId: textOrNull(read.cell('gpu_bus_id')),
      gpuUuid: textOrNull(read.cell('gpu_uuid')),
    });
  }
  return parseOk(apps);
}
