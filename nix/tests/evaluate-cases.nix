# For test/nix's property tests: nix/lib's assertions and generated config for
# many sets of option values in one evaluation. `cases` is the path of a JSON
# list of { hostName, dubnium } (dubnium.vllm.package: null or any string).
#   nix-instantiate --eval --strict --json nix/tests/evaluate-cases.nix --argstr cases FILE
{ cases }:
map (case: {
  failed = map (a: a.message) (builtins.filter (a: !a.assertion) (import ../lib/assertions.nix case.dubnium));
  config = import ../lib/config.nix { inherit (case) hostName dubnium; };
}) (builtins.fromJSON (builtins.readFile cases))
