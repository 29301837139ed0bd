# A stand-in for the few parts of nixpkgs' lib and NixOS' utils that
# nix/module.nix calls, so that its option declarations and its wiring can be
# evaluated here, where nixpkgs cannot be fetched.
#
# It is NOT the module system: mkIf/mkMerge/mkDefault build the same
# `_type` values nixpkgs builds, and module.nix (the test) resolves them in
# the simplest way; option types only carry a name and a `check` like
# nixpkgs' types. The real evaluation is `nix flake check` on a machine with
# nixpkgs (docs/install-nixos.md, phase 2).
let
  inherit (builtins) all elem isAttrs isBool isInt isList isString toJSON replaceStrings concatStringsSep;
  optionType = name: check: {
    _type = "option-type";
    inherit name check;
  };
in
{
  lib = {
    mkOption = attrs: attrs // { _type = "option"; };
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkDefault = content: {
      _type = "override";
      priority = 1000;
      inherit content;
    };
    literalExpression = text: {
      _type = "literalExpression";
      inherit text;
    };
    inherit elem;
    inherit (builtins) mapAttrs;
    optional = condition: value: if condition then [ value ] else [ ];
    genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
    types = {
      bool = optionType "boolean" isBool;
      str = optionType "string" isString;
      package = optionType "package" (v: isAttrs v && (v.type or null) == "derivation");
      ints.between =
        lowest: highest:
        optionType "integer between ${toString lowest} and ${toString highest}" (v: isInt v && v >= lowest && v <= highest);
      listOf = element: optionType "list of ${element.name}" (v: isList v && all element.check v);
      nullOr = element: optionType "null or ${element.name}" (v: v == null || element.check v);
      enum = values: optionType "one of ${toJSON values}" (v: elem v values);
    };
  };

  # nixos/lib/utils.nix, escapeSystemdExecArg(s), for strings and numbers:
  # JSON-quote each argument, then double % and $ so that systemd expands
  # neither specifiers nor variables.
  utils.escapeSystemdExecArgs =
    args:
    concatStringsSep " " (
      map (
        arg:
        replaceStrings [ "%" "$" ] [ "%%" "$$" ] (toJSON (if isString arg then arg else toString arg))
      ) args
    );
}
