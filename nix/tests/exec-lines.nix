# Every Exec*= value nix/module.nix writes into a unit's drop-in
# (systemd.services.<name>.serviceConfig), for the v1 host and for the
# variants that change the wiring. test/units/exec-paths.test.ts lints them
# with the same rule as the units: an absolute program on every command line,
# because NixOS's systemd resolves no bare command name.
#
# Evaluated like nix/tests/module.nix (stub nixpkgs, mkIf/mkMerge resolved
# for a single definition); prints [ { variant, unit, key, value } ].
let
  inherit (builtins)
    attrNames
    concatMap
    elem
    filter
    foldl'
    isAttrs
    isList
    mapAttrs
    ;
  merge = import ./merge.nix;
  standIn = import ./stand-in.nix;
  host = import ./host.nix;
  stub = import ./stub-nixpkgs.nix;

  modeTools = standIn "mode-tools";
  pkgs = {
    callPackage = _path: _args: modeTools;
    util-linux = standIn "util-linux";
    pciutils = standIn "pciutils";
    pulseaudio = standIn "pulseaudio";
    kmod = standIn "kmod";
    coreutils = standIn "coreutils";
  };

  evaluate =
    {
      dubnium ? { },
      videoDrivers ? [ "nvidia" ],
    }:
    import ../module.nix {
      inherit pkgs;
      inherit (stub) lib utils;
      config = {
        dubnium = merge host.dubnium dubnium // { package = modeTools; };
        networking.hostName = host.hostName;
        services.xserver.videoDrivers = videoDrivers;
        hardware.nvidia.package.bin = standIn "nvidia-x11-bin";
        security.polkit.enable = true;
      };
    };

  resolve =
    value:
    if !(isAttrs value) then
      value
    else if (value._type or null) == "if" then
      (if value.condition then resolve value.content else { })
    else if (value._type or null) == "merge" then
      foldl' (merged: next: merge merged (resolve next)) { } value.contents
    else if (value._type or null) == "override" then
      resolve value.content
    else
      mapAttrs (_: resolve) value;

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
    v1 = { };
    without-vllm.dubnium.vllm.enable = false;
    with-k3s.dubnium.k3s.enable = true;
    without-nvidia.videoDrivers = [ "modesetting" ];
  };

  linesOf =
    variant: arguments:
    let
      services = (resolve (evaluate arguments).config).systemd.services;
    in
    concatMap (
      unit:
      let
        serviceConfig = services.${unit}.serviceConfig or { };
      in
      concatMap (
        key:
        map (value: { inherit variant unit key value; }) (
          if isList serviceConfig.${key} then serviceConfig.${key} else [ serviceConfig.${key} ]
        )
      ) (filter (key: elem key execKeys) (attrNames serviceConfig))
    ) (attrNames services);
in
concatMap (variant: linesOf variant variants.${variant}) (attrNames variants)
