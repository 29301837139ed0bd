# The `resolved` URL nix/lib/npm-lock-resolved.nix gives each entry of this
# repository's package-lock.json (null where it adds none); test/nix compares
# them with the URLs npm really fetched.
builtins.mapAttrs (_: entry: entry.resolved or null) (
  (import ../lib/npm-lock-resolved.nix { } (builtins.fromJSON (builtins.readFile ../../package-lock.json))).packages
)
