# nix/module.nix's option declarations as nixpkgs' real lib sees them
# (./eval-host.nix): every dubnium.* option has a type, a default and a
# description; the defaults are nix/lib/defaults.nix and fit their types;
# the option set is the one issue 6 lists. How the options are wired into
# NixOS is ./workstation.nix.
{ nixpkgsLib }:
let
  check = import ./check.nix;
  defaults = import ../lib/defaults.nix;
  evaluated = import ./eval-host.nix { inherit nixpkgsLib; };
  inherit (evaluated) lib;

  options = lib.collect lib.isOption evaluated.options.dubnium;
  pathOf = option: lib.removePrefix "dubnium." (lib.showOption option.loc);
  at = path: lib.attrByPath (lib.splitString "." path) null defaults;

  optionFailures = lib.concatMap (
    option:
    let
      name = lib.showOption option.loc;
      declared = option ? type && option ? default && builtins.isString (option.description or null) && option.description != "";
    in
    if !declared then
      [ "${name} lacks a type, a default or a description" ]
    else if pathOf option == "package" then
      check "${name} defaults to the package nix/package.nix builds" (option.default.calledOn or null) ../package.nix
    else
      check "${name} defaults to nix/lib/defaults.nix" option.default (at (pathOf option))
      ++ check "${name}: its default fits its type (${option.type.description})" (option.type.check option.default) true
  ) options;

  leaves =
    prefix: set:
    lib.concatLists (
      lib.mapAttrsToList (
        name: value: if builtins.isAttrs value then leaves "${prefix}${name}." value else [ "${prefix}${name}" ]
      ) set
    );
  declaredPaths = map pathOf options;
  undeclaredDefaults = map (path: "dubnium.${path} is in nix/lib/defaults.nix but is no option") (
    builtins.filter (path: !(builtins.elem path declaredPaths)) (leaves "" defaults)
  );
in
optionFailures
++ undeclaredDefaults
++ check "the option set is the one issue 6 lists, issue 14's notice and issue 15's metrics and Slurm" (builtins.sort builtins.lessThan declaredPaths) [
  "boot.defaultMode"
  "capabilityPlacement.studio"
  "enableDesktopProfile"
  "hardware.computeGpus"
  "hardware.desktopAiGpus"
  "hardware.displayGpu"
  "hardware.plannedGpuCount"
  "hardware.presentGpus"
  "k3s.enable"
  "metrics.enable"
  "metrics.textfileDir"
  "notice.graceSeconds"
  "notice.idleAfterSeconds"
  "notice.ifUnwarned"
  "package"
  "slurm.commandTimeoutSeconds"
  "slurm.computeFeature"
  "slurm.drainWaitSeconds"
  "slurm.enable"
  "slurm.ipAddressAllow"
  "slurm.nodeName"
  "thresholds.gpuResidualMiB"
  "thresholds.memoryHeadroomMiB"
  "thresholds.minModelStoreFreeMiB"
  "thresholds.pollIntervalMs"
  "thresholds.stepTimeoutsMs.gpuRelease"
  "thresholds.stepTimeoutsMs.isolate"
  "thresholds.stepTimeoutsMs.observe"
  "thresholds.stepTimeoutsMs.setProperty"
  "thresholds.stepTimeoutsMs.start"
  "thresholds.stepTimeoutsMs.stop"
  "thresholds.stepTimeoutsMs.terminateSession"
  "thresholds.stepTimeoutsMs.vllmReady"
  "vllm.enable"
  "vllm.extraArgs"
  "vllm.model"
  "vllm.modelStore"
  "vllm.package"
  "vllm.port"
]
