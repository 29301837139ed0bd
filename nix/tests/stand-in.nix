# A stand-in for a nixpkgs package: as much of a derivation as the module and
# the assertions look at (its type, its name and its store path).
name: {
  type = "derivation";
  inherit name;
  outPath = "/nix/store/00000000000000000000000000000000-${name}";
}
