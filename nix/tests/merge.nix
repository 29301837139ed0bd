# Recursive attrset update (builtins only): how the module system combines one
# definition of each dubnium.* option with the option defaults. Lists and
# other values are replaced, as they are for a single definition.
let
  merge =
    base: over:
    base
    // builtins.mapAttrs (
      name: value:
      if builtins.isAttrs value && builtins.isAttrs (base.${name} or null) then merge base.${name} value else value
    ) over;
in
merge
