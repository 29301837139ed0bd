// nix/module.nix together with hosts/workstation, evaluated by nixpkgs' real
// lib.evalModules (nix/tests/eval-host.nix, with nix/tests/nixos declaring
// the NixOS options they set): the host evaluates, assertions fire alone,
// config.json is the golden file, the drop-ins carry the module's meaning
// (nix/tests/workstation.nix), the options are declared as documented
// (nix/tests/module.nix), dubnium.slurm asserts and opens the units as it
// says (nix/tests/slurm.nix), and bad values are errors with nixpkgs' own
// messages (nix/tests/type-errors.nix).
import { beforeAll, expect, it } from 'vitest';
import { describeResult } from '../sandbox/command.ts';
import { describeWhen, toolPrerequisites } from '../sandbox/prerequisites.ts';
import { evalJson, NIX_MISSING_HINT, nixInstantiate } from './nix-instantiate.ts';
import { findNixpkgsLib, type NixpkgsLib } from './nixpkgs-lib.ts';

const missing = toolPrerequisites(['nix-instantiate']).map((problem) => `${problem}: ${NIX_MISSING_HINT}`);

// Each bad value and the words of the error the module system gives for it.
const TYPE_ERRORS: [string, RegExp][] = [
  ['displayGpu as a string', /option `dubnium\.hardware\.displayGpu' is not of type `integer between 0 and 63/],
  ['displayGpu out of range', /option `dubnium\.hardware\.displayGpu' is not of type `integer between 0 and 63/],
  ['a negative compute GPU', /option `dubnium\.hardware\.computeGpus\..*' is not of type `integer between 0 and 63/],
  ['port 0', /option `dubnium\.vllm\.port' is not of type `integer between 1 and 65535/],
  ['an unknown studio placement', /option `dubnium\.capabilityPlacement\.studio' is not of type `one of "local", "remote", "disabled"'/],
  ['degraded as the boot mode', /option `dubnium\.boot\.defaultMode' is not of type `one of "desktop", "studio-local", "compute"'/],
  ['extraArgs as one string', /option `dubnium\.vllm\.extraArgs' is not of type `list of string'/],
  ['a poll interval of 0 ms', /option `dubnium\.thresholds\.pollIntervalMs' is not of type `integer between 1 and 86400000/],
  ['an option the module does not declare', /The option `dubnium\.vllm\.modelPath' does not exist/],
  ['wantedBy a name that is no unit', /option `systemd\.services\.mode-boot\.wantedBy\..*' is not of type `string matching the pattern/],
  ['a service Type systemd does not have', /Systemd Service field `Type' cannot have value `oneshott'/],
  [
    'DeviceAllow as a list and as a single value',
    /either all lists, representing repeatable options, or all non-lists, but for the option systemd\.services\.vllm\.serviceConfig\.DeviceAllow/,
  ],
  ['a Slurm node name with a comma', /option `dubnium\.slurm\.nodeName' is not of type `null or string matching the pattern/],
  ['a Slurm feature with a dash', /option `dubnium\.slurm\.computeFeature' is not of type `null or string matching the pattern/],
  ['a drain wait of a negative time', /option `dubnium\.slurm\.drainWaitSeconds' is not of type `integer between 0 and 1200/],
  ['no address for the controller\'s units', /option `dubnium\.slurm\.ipAddressAllow' is not of type `non-empty \(list of string matching the pattern/],
  ['a host name with a space', /option `networking\.hostName' is not of type `string matching the pattern/],
];

describeWhen(missing, "nix/module.nix and hosts/workstation under nixpkgs' lib.evalModules", () => {
  let found: NixpkgsLib = { problem: 'not looked for yet' };
  const libPath = (): string => {
    if ('problem' in found) throw new Error(found.problem);
    return found.path;
  };
  beforeAll(async () => {
    found = await findNixpkgsLib();
  });

  it('finds nixpkgs lib ($NIXPKGS_LIB, a nixpkgs on NIX_PATH, or ../shared/nixpkgs-lib)', () => {
    expect('problem' in found ? found.problem : '').toBe('');
  });

  it.each(['module', 'workstation', 'type-errors', 'slurm'])('nix/tests/%s.nix prints []', async (suite) => {
    expect(await evalJson(`nix/tests/${suite}.nix`, ['--argstr', 'nixpkgsLib', libPath()])).toEqual([]);
  });

  it('evaluates with the given lib, not a stand-in', async () => {
    const version = await evalJson('nix/tests/eval-host.nix', ['--argstr', 'nixpkgsLib', libPath(), '-A', 'lib.version']);
    const own = await evalJson(`${libPath()}/lib`, ['-A', 'version']);
    expect(typeof version).toBe('string');
    expect(version).toEqual(own);
  });

  it.each(TYPE_ERRORS)('%s is an evaluation error naming the option', async (name, message) => {
    const result = await nixInstantiate([
      '--eval',
      '--strict',
      '--json',
      'nix/tests/type-errors.nix',
      '--argstr',
      'nixpkgsLib',
      libPath(),
      '--argstr',
      'case',
      name,
    ]);
    expect(result.exitCode, describeResult(result)).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
