{
  description = "Dubnium: mode controller for a NixOS AI workstation (desktop, studio-local, compute)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs =
    { self, nixpkgs }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      packages.${system} = {
        mode-tools = pkgs.callPackage ./nix/package.nix { };
        default = self.packages.${system}.mode-tools;
      };

      nixosModules.default = import ./nix/module.nix;

      nixosConfigurations.workstation = nixpkgs.lib.nixosSystem {
        modules = [
          self.nixosModules.default
          ./hosts/workstation
          # The same derivation as packages.x86_64-linux.mode-tools.
          { dubnium.package = self.packages.${system}.mode-tools; }
        ];
      };

      checks.${system} = {
        mode-tools = self.packages.${system}.mode-tools;
        # nix/tests evaluates to the list of failures; [ ] when all pass.
        nix-lib =
          pkgs.runCommand "dubnium-nix-tests"
            { failures = builtins.toJSON (import ./nix/tests); }
            ''
              if [ "$failures" != "[]" ]; then
                echo "nix/tests failed: $failures" >&2
                exit 1
              fi
              touch "$out"
            '';
      };
    };
}
