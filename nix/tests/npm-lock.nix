# nix/lib/npm-lock-resolved.nix on the shapes a package-lock v3 has. The real
# lock's URLs are compared with the URLs npm really fetched in test/nix.
let
  check = import ./check.nix;
  fill = import ../lib/npm-lock-resolved.nix { };
  lock = {
    name = "app";
    lockfileVersion = 3;
    packages = {
      "" = {
        name = "app";
        version = "1.0.0";
      };
      "node_modules/zod" = {
        version = "4.6.7";
        integrity = "sha512-x";
      };
      "node_modules/@esbuild/linux-x64" = {
        version = "0.28.2";
        optional = true;
      };
      "node_modules/a/node_modules/@s/b" = {
        version = "2.0.0";
      };
      "node_modules/alias" = {
        name = "real-name";
        version = "3.0.0";
      };
      "node_modules/pinned" = {
        version = "1.0.0";
        resolved = "https://example.org/pinned.tgz";
      };
      "node_modules/linked" = {
        resolved = "packages/linked";
        link = true;
      };
      "packages/linked" = {
        name = "linked";
        version = "0.1.0";
      };
    };
  };
  out = (fill lock).packages;
in
check "the root package is not fetched" (out."" ? resolved) false
++ check "plain package" out."node_modules/zod".resolved "https://registry.npmjs.org/zod/-/zod-4.6.7.tgz"
++ check "other fields kept" out."node_modules/zod".integrity "sha512-x"
++ check "scoped package" out."node_modules/@esbuild/linux-x64".resolved "https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-0.28.2.tgz"
++ check "nested install path" out."node_modules/a/node_modules/@s/b".resolved "https://registry.npmjs.org/@s/b/-/b-2.0.0.tgz"
++ check "npm alias uses the real name" out."node_modules/alias".resolved "https://registry.npmjs.org/real-name/-/real-name-3.0.0.tgz"
++ check "an existing URL is kept" out."node_modules/pinned".resolved "https://example.org/pinned.tgz"
++ check "a link is kept" out."node_modules/linked".resolved "packages/linked"
++ check "a workspace folder is not fetched" (out."packages/linked" ? resolved) false
++ check "top-level fields kept" ((fill lock).lockfileVersion) 3
