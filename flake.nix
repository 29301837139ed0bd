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

      checks.${system} =
        let
          # each suite evaluates to its list of failures; [ ] when all pass
          suite =
            name: failures:
            pkgs.runCommand "dubnium-${name}" { failures = builtins.toJSON failures; } ''
              if [ "$failures" != "[]" ]; then
                echo "${name} failed: $failures" >&2
                exit 1
              fi
              touch "$out"
            '';
          # the real-lib suites, here against the flake's own nixpkgs lib (the test suite uses ../shared/nixpkgs-lib)
          withLib = file: import file { nixpkgsLib = toString nixpkgs; };
        in
        {
          mode-tools = self.packages.${system}.mode-tools;
          nix-lib = suite "nix-lib" (import ./nix/tests);
          module-options = suite "module-options" (withLib ./nix/tests/module.nix);
          workstation = suite "workstation" (withLib ./nix/tests/workstation.nix);
          type-errors = suite "type-errors" (withLib ./nix/tests/type-errors.nix);
          slurm = suite "slurm" (withLib ./nix/tests/slurm.nix);
        };
    };
}
