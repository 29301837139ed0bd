# nixos/modules/system/boot/systemd.nix, the part this project uses:
# systemd.packages, services, targets, slices and tmpfiles.rules, typed as
# nixpkgs types them, and the /etc/systemd/system tree they become
# (system.build.etcSystemd: file name -> text or "-> target" for a symlink).
# A definition of a unit that a package in systemd.packages ships becomes
# that unit's `<name>.d/overrides.conf` drop-in, as nixpkgs' generateUnits
# does. What a package ships is its `unitNames` (stand-in packages carry the
# list; a real package is a directory the stand-in cannot read).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib) mkOption types;
  unitTypes = import ./systemd-unit-types.nix lib;
  render = import ./systemd-unit-text.nix lib;
  cfg = config.systemd;

  packaged = lib.concatMap (package: package.unitNames or [ ]) cfg.packages;

  unitsOf =
    suffix: toText: units:
    lib.mapAttrs' (name: unit: lib.nameValuePair "${name}.${suffix}" { inherit unit; text = toText unit; }) (
      lib.filterAttrs (_: unit: unit.enable) units
    );
  units = unitsOf "service" render.service cfg.services // unitsOf "target" render.target cfg.targets // unitsOf "slice" render.slice cfg.slices;

  fileOf =
    name: entry:
    if builtins.elem name packaged then
      lib.nameValuePair "${name}.d/overrides.conf" entry.text
    else
      lib.nameValuePair name entry.text;
  wants = lib.concatLists (
    lib.mapAttrsToList (
      name: entry: map (wanting: lib.nameValuePair "${wanting}.wants/${name}" "-> ../${name}") entry.unit.wantedBy
    ) units
  );
in
{
  options = {
    systemd.packages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      description = "Packages whose lib/systemd/system units are installed.";
    };
    systemd.services = mkOption {
      type = unitTypes.services pkgs;
      default = { };
      description = "System service units.";
    };
    systemd.targets = mkOption {
      type = unitTypes.targets;
      default = { };
      description = "System target units.";
    };
    systemd.slices = mkOption {
      type = unitTypes.slices;
      default = { };
      description = "System slice units.";
    };
    systemd.tmpfiles.rules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "tmpfiles.d lines.";
    };
    system.build = mkOption {
      type = types.lazyAttrsOf types.unspecified;
      default = { };
      internal = true;
      description = "Build products of the configuration.";
    };
  };

  config = {
    system.build.etcSystemd = lib.listToAttrs (lib.mapAttrsToList fileOf units ++ wants);
  };
}
