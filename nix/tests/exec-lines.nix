# Every Exec*= value nix/module.nix writes into a unit's drop-in
# (systemd.services.<name>.serviceConfig), for the v1 host and for the
# variants that change the wiring. test/units/exec-paths.test.ts lints them
# with the same rule as the units: an absolute program on every command line,
# because NixOS's systemd resolves no bare command name.
#
# Evaluated with nixpkgs' real lib.evalModules (./eval-host.nix), so the
# values are merged as NixOS merges them; prints [ { variant, unit, key, value } ].
# The lib is $NIXPKGS_LIB's (an absolute path), else the copy beside the
# clone (../shared/nixpkgs-lib), as test/nix/nixpkgs-lib.ts finds it.
let
  fromEnvironment = builtins.getEnv "NIXPKGS_LIB";
  nixpkgsLib = if fromEnvironment != "" then fromEnvironment else toString ../../../shared/nixpkgs-lib;
  evalHost = modules: import ./eval-host.nix { inherit nixpkgsLib modules; };
  inherit ((evalHost [ ]).lib) concatMap mapAttrsToList mkForce toList;

  execKeys = [
    "ExecStart"
    "ExecStartPre"
    "ExecStartPost"
    "ExecStop"
    "ExecStopPost"
    "ExecReload"
    "ExecCondition"
  ];

  variants = {
    v1 = [ ];
    without-vllm = [ { dubnium.vllm.enable = mkForce false; } ];
    with-k3s = [ { dubnium.k3s.enable = mkForce true; } ];
    without-nvidia = [ { services.xserver.videoDrivers = mkForce [ "modesetting" ]; } ];
  };

  linesOf =
    variant: modules:
    concatMap (
      { name, value }:
      let
        unit = name;
        serviceConfig = value.serviceConfig;
      in
      concatMap (
        key: map (line: { inherit variant unit key; value = line; }) (toList serviceConfig.${key})
      ) (builtins.filter (key: serviceConfig ? ${key}) execKeys)
    ) (mapAttrsToList (name: value: { inherit name value; }) (evalHost modules).config.systemd.services);
in
concatMap ({ name, value }: linesOf name value) (mapAttrsToList (name: value: { inherit name value; }) variants)
