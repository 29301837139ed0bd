# nixos/modules/misc/assertions.nix: the lists a NixOS build checks before it
# builds anything (a failed assertion stops `nixos-rebuild build` and
# `nix flake check`; warnings are printed). ../eval-host.nix reports them.
{ lib, ... }:
{
  options = {
    assertions = lib.mkOption {
      type = lib.types.listOf lib.types.unspecified;
      default = [ ];
      internal = true;
      description = "{ assertion, message } pairs; the build fails on each false assertion.";
    };
    warnings = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      internal = true;
      description = "Messages printed on every build.";
    };
  };
}
