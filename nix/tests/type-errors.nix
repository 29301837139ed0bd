# Bad option values are evaluation errors, as NixOS's option types make
# them: the dubnium.* types, unit-name checks, serviceConfig's checks and
# merge rules, the host name's format, undeclared options.
#
#   without `case`: the list of failures ([ ] when every case is an error and
#   the v1 host's same value is not);
#   with `case = "<name>"`: that case's value, forced, so the caller sees
#   nixpkgs' own error message on stderr (test/nix reads it).
{
  nixpkgsLib,
  case ? null,
}:
let
  evalHost = modules: import ./eval-host.nix { inherit nixpkgsLib modules; };
  inherit ((evalHost [ ]).lib) mkForce;

  # module: the bad definition; value: what forcing shows the error.
  cases = {
    "displayGpu as a string" = {
      module.dubnium.hardware.displayGpu = mkForce "0";
      value = config: config.dubnium.hardware.displayGpu;
    };
    "displayGpu out of range" = {
      module.dubnium.hardware.displayGpu = mkForce 64;
      value = config: config.dubnium.hardware.displayGpu;
    };
    "a negative compute GPU" = {
      module.dubnium.hardware.computeGpus = mkForce [ (-1) ];
      value = config: config.dubnium.hardware.computeGpus;
    };
    "port 0" = {
      module.dubnium.vllm.port = mkForce 0;
      value = config: config.dubnium.vllm.port;
    };
    "an unknown studio placement" = {
      module.dubnium.capabilityPlacement.studio = mkForce "cloud";
      value = config: config.dubnium.capabilityPlacement.studio;
    };
    "degraded as the boot mode" = {
      module.dubnium.boot.defaultMode = mkForce "degraded";
      value = config: config.dubnium.boot.defaultMode;
    };
    "extraArgs as one string" = {
      module.dubnium.vllm.extraArgs = mkForce "--enforce-eager";
      value = config: config.dubnium.vllm.extraArgs;
    };
    "a poll interval of 0 ms" = {
      module.dubnium.thresholds.pollIntervalMs = mkForce 0;
      value = config: config.dubnium.thresholds.pollIntervalMs;
    };
    "an option the module does not declare" = {
      module.dubnium.vllm.modelPath = "/srv/models";
      value = config: config.dubnium.vllm;
    };
    "wantedBy a name that is no unit" = {
      module.systemd.services.mode-boot.wantedBy = [ "multi-user" ];
      value = config: config.systemd.services.mode-boot.wantedBy;
    };
    "a service Type systemd does not have" = {
      module.systemd.services.vllm.serviceConfig.Type = "oneshott";
      value = config: config.systemd.services.vllm.serviceConfig;
    };
    "DeviceAllow as a list and as a single value" = {
      module.systemd.services.vllm.serviceConfig.DeviceAllow = "char-drm";
      value = config: config.systemd.services.vllm.serviceConfig.DeviceAllow;
    };
    "a Slurm node name with a comma" = {
      module.dubnium.slurm.nodeName = "ws01,ws02";
      value = config: config.dubnium.slurm.nodeName;
    };
    "a Slurm feature with a dash" = {
      module.dubnium.slurm.computeFeature = "dubnium-compute";
      value = config: config.dubnium.slurm.computeFeature;
    };
    "a drain wait of a negative time" = {
      module.dubnium.slurm.drainWaitSeconds = -1;
      value = config: config.dubnium.slurm.drainWaitSeconds;
    };
    "no address for the controller's units" = {
      module.dubnium.slurm.ipAddressAllow = [ ];
      value = config: config.dubnium.slurm.ipAddressAllow;
    };
    "a host name with a space" = {
      module.networking.hostName = mkForce "dubnium workstation";
      value = config: config.networking.hostName;
    };
  };

  forced = config: value: builtins.deepSeq (value config) true;
  v1 = (evalHost [ ]).config;
  failures = builtins.concatLists (
    builtins.attrValues (
      builtins.mapAttrs (
        name: bad:
        let
          broken = (builtins.tryEval (forced (evalHost [ bad.module ]).config bad.value)).success;
          control = (builtins.tryEval (forced v1 bad.value)).success;
        in
        (if broken then [ "${name}: evaluates, but should be an error" ] else [ ])
        ++ (if control then [ ] else [ "${name}: the v1 host's value is an error too, so the case proves nothing" ])
      ) cases
    )
  );
in
if case == null then
  failures
else if cases ? ${case} then
  (cases.${case}).value (evalHost [ cases.${case}.module ]).config
else
  throw "type-errors.nix: no case named ${builtins.toJSON case}; cases: ${builtins.toJSON (builtins.attrNames cases)}"
