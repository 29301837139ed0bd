// Whether the running system was built from the placeholder
// hosts/workstation/hardware-configuration.nix. Its build-time warning is
// gone once a system runs, so the placeholder also puts a marker file into
// /etc (environment.etc) that nixos-generate-config's real file does not:
// the next switch after regenerating removes it. /etc/NIXOS (written by
// every NixOS activation) tells "not NixOS" from "regenerated". Pure.
import type { DoctorCheck } from './doctor-check.ts';

export const PLACEHOLDER_MARKER = '/etc/dubnium/hardware-configuration-placeholder';
export const NIXOS_MARKER = '/etc/NIXOS';

export interface PlaceholderSigns {
  /** the marker's text, null when absent */
  marker: string | null;
  nixos: boolean;
}

export function placeholderCheck(signs: PlaceholderSigns): DoctorCheck {
  const id = 'hardware-configuration';
  const title = 'the system was not built from the placeholder hardware-configuration.nix';
  const evidence = [{ fact: 'hardwareConfiguration', source: { kind: 'file' as const, path: PLACEHOLDER_MARKER }, lines: [signs.marker === null ? 'absent' : signs.marker.trim().split('\n')[0] ?? '', `${NIXOS_MARKER}: ${signs.nixos ? 'present' : 'absent'}`] }];
  if (signs.marker !== null) {
    return { id, title, status: 'fail', message: `${PLACEHOLDER_MARKER} is there: the running system was built from the placeholder (its file systems are by-label guesses); regenerate it with \`sudo nixos-generate-config --dir ./hosts/workstation\` and switch (docs/install-nixos.md, phase 1)`, evidence };
  }
  if (!signs.nixos) return { id, title, status: 'unknown', message: `not a NixOS system (no ${NIXOS_MARKER}), so which hardware configuration built it cannot be told`, evidence };
  return { id, title, status: 'pass', message: `no ${PLACEHOLDER_MARKER}: the running system's hardware configuration is not the placeholder`, evidence };
}
