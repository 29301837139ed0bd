# Every Nix-side test: `nix-instantiate --eval --strict --json nix/tests`
# prints [ ] when all pass, otherwise one string per failure, prefixed with
# the suite. Builtins only: no nixpkgs, no store writes (`--store dummy://`
# works). The flake runs it as checks.x86_64-linux.nix-lib; test/nix runs it
# in the default test suite. The suites that need nixpkgs' lib (module.nix,
# workstation.nix, type-errors.nix: the module and the host under
# lib.evalModules) take its path and are run by test/nix/nixos-eval.test.ts.
let
  suites = {
    assertions = import ./assertions.nix;
    config = import ./config.nix;
    npm-lock = import ./npm-lock.nix;
    vllm = import ./vllm.nix;
  };
in
builtins.concatLists (
  builtins.attrValues (builtins.mapAttrs (suite: failures: map (failure: "${suite}: ${failure}") failures) suites)
)
