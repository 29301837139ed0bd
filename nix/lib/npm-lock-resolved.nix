# package-lock.json with the `resolved` tarball URL of every registry package
# filled in (builtins only).
#
# Why: this repository's lock was written with npm's
# omit-lockfile-registry-resolved=true, so entries carry only version and
# integrity. nixpkgs' importNpmLock fetches a package only when it has
# `resolved` (and fails on a direct dependency without one). npm's registry
# tarball URL is a pure function of name and version, and the integrity hash
# in the lock still pins the content, so filling it in changes no trust.
{ registry ? "https://registry.npmjs.org" }:
packageLock:
let
  inherit (builtins) mapAttrs match head;

  # "node_modules/a/node_modules/@s/b" -> "@s/b" (the last install path segment).
  nameOf = key: let m = match ".*node_modules/(.*)" key; in if m == null then null else head m;
  # "@s/b" -> "b": the tarball file is named without the scope.
  baseOf = name: let m = match "@[^/]+/(.*)" name; in if m == null then name else head m;

  tarballUrl = name: version: "${registry}/${name}/-/${baseOf name}-${version}.tgz";

  withResolved = key: entry:
    let
      installedAs = nameOf key;
      # An npm alias ("x": "npm:y@1") records the real name in `name`.
      name = entry.name or installedAs;
    in
    # The root package (key "") and workspace folders are not under
    # node_modules/ and come from the source tree, not the registry.
    if installedAs == null || entry ? resolved || entry.link or false || !(entry ? version) then entry
    else entry // { resolved = tarballUrl name entry.version; };
in
packageLock // { packages = mapAttrs withResolved packageLock.packages; }
