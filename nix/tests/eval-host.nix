# nix/module.nix and hosts/workstation evaluated by nixpkgs' real
# lib.evalModules, with nix/tests/nixos declaring the NixOS options they set:
# the modules the flake gives nixosConfigurations.workstation, plus `modules`
# (a test's changes). The result has nixpkgs' evalModules attributes plus
# what a NixOS build checks first: the failed assertions' messages and the
# warnings.
#
#   nixpkgsLib: a folder holding nixpkgs' lib/ (a nixpkgs checkout or the
#   nix-community/nixpkgs.lib mirror).
{
  nixpkgsLib,
  modules ? [ ],
}:
let
  lib =
    if builtins.substring 0 1 (toString nixpkgsLib) == "/" then
      import "${toString nixpkgsLib}/lib"
    else
      throw "nix/tests/eval-host.nix: nixpkgsLib must be an absolute path, not ${builtins.toJSON nixpkgsLib}; pass --argstr nixpkgsLib \"$PWD/../shared/nixpkgs-lib\"";
  pkgs = import ./nixos/pkgs.nix;
  evaluated = lib.evalModules {
    specialArgs.modulesPath = ./nixos/modules-path;
    modules =
      import ./nixos
      ++ [
        {
          _module.args = {
            inherit pkgs;
            utils = import ./nixos/utils.nix;
          };
        }
        ../module.nix
        ../../hosts/workstation
        # As flake.nix does: the package the flake builds.
        { dubnium.package = pkgs.mode-tools; }
      ]
      ++ modules;
  };
in
evaluated
// {
  inherit lib pkgs;
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) evaluated.config.assertions);
  inherit (evaluated.config) warnings;
}
