// Parses `lspci -nn`: "ADDR CLASS NAME [cccc]: VENDOR DEVICE [vvvv:dddd]
// (rev rr)". Without a pci.ids database lspci prints "Class [cccc]" and
// "Device [vvvv:dddd]"; the ids are the facts, the names are decoration.
// lspci does not separate vendor from device name, so the vendor is split
// off only when it is the known name of the vendor id.
import type { PciDevice } from '../../../schemas/topology.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';
import { PCI_VENDORS } from './pci-vendors.ts';

const LINE =
  /^((?:[0-9a-fA-F]{4,}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]) (.+?) \[([0-9a-fA-F]{4})\]: (.*?) ?\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\](?: ?\(rev ([0-9a-fA-F]{2})\))?(?: \(prog-if [^)]*\))?$/;

export function parseLspci(text: string): ParseResult<PciDevice[]> {
  if (text.trim() === '') return emptyInput('`lspci -nn` output');
  const lines = splitLines(text);
  const devices: PciDevice[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.trimEnd());
    if (!match) return failAt(lines, i + 1, 'expected "BUS:DEV.FN Class name [cccc]: Vendor Device [vvvv:dddd]" as `lspci -nn` prints it (was -nn given?)');
    const vendorId = match[5]!.toLowerCase();
    const described = match[4]!.trim();
    const known = PCI_VENDORS[vendorId] ?? null;
    const className = match[2]!;
    let name: string | null = described;
    if (known !== null && described.startsWith(`${known} `)) name = described.slice(known.length + 1);
    else if (known !== null && described === known) name = null;
    if (name === 'Device' || name === '' || /^Device [0-9a-f]{4}$/.test(name ?? '')) name = null;
    devices.push({
      address: match[1]!,
      classCode: match[3]!.toLowerCase(),
      className: className === 'Class' ? null : className,
      vendorId,
      deviceId: match[6]!.toLowerCase(),
      vendor: known,
      name,
      revision: match[7] ?? null,
    });
  }
  return parseOk(devices);
}

/** Display controllers: VGA (0300), XGA (0301), 3D (0302) and other (0380). */
export function displayControllers(devices: readonly PciDevice[]): PciDevice[] {
  return devices.filter((device) => device.classCode.startsWith('03'));
}
