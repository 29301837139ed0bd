# mode-tools: the `mode` command (package.json's bin, dist/cli/mode.cjs built
# by `npm run build`, which the units run too) and the systemd units of units/ in
# $out/lib/systemd/system, pointed at this package by nix/install-units.sh.
{
  lib,
  buildNpmPackage,
  importNpmLock,
  nodejs_22,
  coreutils,
  curl,
  writeShellScript,
}:
let
  packageJson = lib.importJSON ../package.json;
  # What `npm run build` (and a build script in scripts/) reads, so editing
  # tests or docs does not rebuild the package.
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions (
      [
        ../package.json
        ../package-lock.json
        ../tsconfig.json
        ../tsconfig.build.json
        ../schemas
        ../shared
      ]
      ++ map lib.fileset.maybeMissing [
        ../predicates
        ../machines
        ../effects
        ../cli
        ../simulation
        ../scripts
        ../index.ts
      ]
    );
  };
  vllmNotConfigured = writeShellScript "vllm-not-configured" ''
    echo "vllm.service has no command line yet: set dubnium.vllm.enable = true, dubnium.vllm.package and dubnium.vllm.model in the NixOS configuration" >&2
    exit 1
  '';
in
buildNpmPackage {
  pname = "mode-tools";
  inherit (packageJson) version;
  inherit src;
  # package.json's engines: >=22.12 <23
  nodejs = nodejs_22;

  # No hash to bump: every dependency is fetched by the integrity hash the lock
  # already holds. The lock omits registry URLs (npm's
  # omit-lockfile-registry-resolved), which importNpmLock needs, so they are
  # filled in from name and version; see nix/lib/npm-lock-resolved.nix.
  npmDeps = importNpmLock {
    npmRoot = ../.;
    packageLock = import ./lib/npm-lock-resolved.nix { } (lib.importJSON ../package-lock.json);
  };
  npmConfigHook = importNpmLock.npmConfigHook;
  # The `node` devDependency (development's pinned Node 22) downloads a binary
  # in its install script, which the build sandbox forbids; Nix supplies Node,
  # and no runtime dependency (ajv, execa, xstate, zod) has an install script.
  npmRebuildFlags = [ "--ignore-scripts" ];

  # Every program a unit runs gets a store path here: NixOS's systemd
  # resolves no bare command name (the studio-local markers run true,
  # vllm-ready.service runs curl).
  postInstall = ''
    bash ${./install-units.sh} ${../units} "$out" "$out/lib/node_modules/${packageJson.name}" \
      node=${lib.getExe nodejs_22} vllm-serve=${vllmNotConfigured} \
      true=${lib.getExe' coreutils "true"} curl=${lib.getExe curl}
  '';

  meta = {
    description = packageJson.description;
    license = lib.licenses.mit;
    mainProgram = "mode";
    platforms = lib.platforms.linux;
  };
}
