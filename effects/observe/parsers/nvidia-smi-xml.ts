// Parses `nvidia-smi -q -x`, the only nvidia-smi output that lists graphics
// processes (type G and C+G) next to compute ones; --query-compute-apps
// leaves out every G-only process (Xorg, gnome-shell). A GPU's index is its
// position among the <gpu> elements: nvidia-smi writes them in its own index
// order (PCI bus order), which is what `-i` and `--query-gpu=index` use.
import type { Gpu, GpuProcess } from '../../../schemas/facts.ts';
import { parseEnabled, parseMiB, textOrNull } from './nvidia-values.ts';
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';
import { child, children, parseXml, pathText, textOf, type XmlElement } from './xml-reader.ts';

const PROCESS_TYPES = new Set(['G', 'C', 'C+G', 'M', 'M+C']);

export interface NvidiaXmlOptions {
  /**
   * Refuse output whose <attached_gpus> count differs from its <gpu>
   * elements: a missing GPU would shift every later index. On by default;
   * off only to inspect a trimmed sample.
   */
  requireAllAttached?: boolean;
}

export function parseNvidiaSmiXml(text: string, options: NvidiaXmlOptions = {}): ParseResult<Gpu[]> {
  const lines = splitLines(text);
  const document = parseXml(text);
  if (!document.ok) return document;
  const root = document.value;
  if (root.name !== 'nvidia_smi_log') {
    return failAt(lines, root.line, `the root element is <${root.name}>, expected <nvidia_smi_log>: this is not \`nvidia-smi -q -x\` output`);
  }
  const gpuElements = children(root, 'gpu');
  const attached = textOf(child(root, 'attached_gpus'));
  if ((options.requireAllAttached ?? true) && attached !== null && /^\d+$/.test(attached) && Number(attached) !== gpuElements.length) {
    return failAt(lines, child(root, 'attached_gpus')!.line, `<attached_gpus> says ${attached} but the output has ${gpuElements.length} <gpu> elements; GPU indices cannot be trusted`);
  }
  const gpus: Gpu[] = [];
  for (const [index, element] of gpuElements.entries()) {
    const gpu = readGpu(element, index, lines);
    if (!gpu.ok) return gpu;
    gpus.push(gpu.value);
  }
  return parseOk(gpus);
}

function readGpu(element: XmlElement, index: number, lines: readonly string[]): ParseResult<Gpu> {
  const memory: Record<'used' | 'total', number | null> = { used: null, total: null };
  for (const key of ['used', 'total'] as const) {
    const raw = pathText(element, 'fb_memory_usage', key);
    if (raw === null) continue;
    const value = parseMiB(raw, null);
    if (!value.ok) return failAt(lines, child(child(element, 'fb_memory_usage')!, key)!.line, `GPU ${index} fb_memory_usage/${key}: ${value.message}`);
    memory[key] = value.value;
  }
  const processesElement = child(element, 'processes');
  if (!processesElement) return failAt(lines, element.line, `GPU ${index} has no <processes> element, so its processes cannot be known`);
  const processes: GpuProcess[] = [];
  for (const info of children(processesElement, 'process_info')) {
    const pid = textOf(child(info, 'pid'));
    if (pid === null || !/^\d+$/.test(pid)) return failAt(lines, info.line, `GPU ${index} has a process without a numeric <pid>`);
    const rawType = textOf(child(info, 'type'));
    const usedRaw = textOf(child(info, 'used_memory'));
    const used = usedRaw === null ? { ok: true as const, value: null } : parseMiB(usedRaw, null);
    if (!used.ok) return failAt(lines, child(info, 'used_memory')!.line, `GPU ${index} process ${pid}: ${used.message}`);
    processes.push({
      pid: Number(pid),
      type: rawType !== null && PROCESS_TYPES.has(rawType) ? (rawType as GpuProcess['type']) : 'unknown',
      name: textOf(child(info, 'process_name')) ?? '',
      usedMemoryMiB: used.value,
    });
  }
  return parseOk({
    index,
    busId: textOrNull(element.attributes.id ?? pathText(element, 'pci', 'pci_bus_id')),
    name: textOrNull(textOf(child(element, 'product_name'))),
    uuid: textOrNull(textOf(child(element, 'uuid'))),
    memoryUsedMiB: memory.used,
    memoryTotalMiB: memory.total,
    displayActive: parseEnabled(textOf(child(element, 'display_active'))),
    migEnabled: parseEnabled(pathText(element, 'mig_mode', 'current_mig')),
    processes,
    // the GPU's node is /dev/nvidia<minor>: how holders found by /proc/PID/fd are matched to it
    minorNumber: minorNumber(textOf(child(element, 'minor_number'))),
  });
}

/** <minor_number>: digits, or N/A (as on some virtual GPUs) */
function minorNumber(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}
