// The /etc/systemd/system tree nix/tests/eval-host.nix renders for the v1
// host (system.build.etcSystemd): file name -> text, "-> target" for a link.
import { evalJson } from './nix-instantiate.ts';

export type EtcSystemd = Record<string, string>;

export async function etcSystemd(nixpkgsLib: string): Promise<EtcSystemd> {
  const files = await evalJson('nix/tests/eval-host.nix', ['--argstr', 'nixpkgsLib', nixpkgsLib, '-A', 'config.system.build.etcSystemd']);
  if (typeof files !== 'object' || files === null) throw new Error(`system.build.etcSystemd is not an attribute set: ${JSON.stringify(files)}`);
  return files as EtcSystemd;
}

/** "vllm.service.d/overrides.conf" -> "vllm.service"; null for anything else. */
export function dropInUnit(file: string): string | null {
  const match = /^(.+)\.d\/overrides\.conf$/.exec(file);
  return match?.[1] ?? null;
}
