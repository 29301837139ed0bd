# Option types of systemd units as nixpkgs declares them (nixos/lib/
# systemd-lib.nix, systemd-unit-options.nix, systemd-types.nix), written
# against the real lib: unit names are checked, `serviceConfig` values merge as
# systemd options (lists concatenate, single values must agree unless a
# priority decides), and serviceConfig's Type= and Restart= are checked.
# Only the options this project and its host set are declared, plus the ones
# that render every unit (description, the dependency lists).
lib:
let
  inherit (lib) mkOption types;

  # Names a unit may have; wantedBy and the other dependency lists only take these.
  unitName = types.strMatching "[a-zA-Z0-9@%:_.\\-]+[.](service|socket|device|mount|automount|swap|target|path|timer|scope|slice)";

  # One value of a [Section] key: all definitions lists (a repeatable key,
  # concatenated) or all single values (which must be equal once overrides
  # are filtered); a mix is an error, as in nixpkgs.
  systemdOption = lib.mkOptionType {
    name = "systemd option";
    merge =
      loc: defs:
      let
        winning = lib.filterOverrides defs;
      in
      if builtins.isList (builtins.head winning).value then
        lib.concatMap (
          def:
          if builtins.isList def.value then
            def.value
          else
            throw "The definitions for systemd unit options should be either all lists, representing repeatable options, or all non-lists, but for the option ${lib.showOption loc}, the definitions are a mix of list and non-list ${lib.options.showDefs winning}"
        ) winning
      else
        lib.mergeEqualOption loc winning;
  };

  valueOneOf =
    key: allowed: section:
    lib.optional (section ? ${key} && !(builtins.elem section.${key} allowed)) "Systemd Service field `${key}' cannot have value `${toString section.${key}}'.";

  # serviceConfig's check sees raw definitions, so unwrap mkIf/mkOverride first.
  checkService =
    section:
    let
      plain = builtins.mapAttrs (
        _: value: if builtins.elem (value._type or "") [ "if" "override" ] then value.content else value
      ) section;
      errors =
        valueOneOf "Type" [ "exec" "simple" "forking" "oneshot" "dbus" "notify" "notify-reload" "idle" ] plain
        ++ valueOneOf "Restart" [ "no" "on-success" "on-failure" "on-abnormal" "on-abort" "on-watchdog" "always" ] plain;
    in
    if errors == [ ] then true else builtins.trace (builtins.concatStringsSep "\n" errors) false;

  unitList =
    description:
    mkOption {
      type = types.listOf unitName;
      default = [ ];
      inherit description;
    };

  commonUnit = {
    options = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "When false, the unit is masked.";
      };
      description = mkOption {
        type = types.singleLineStr;
        default = "";
        description = "Description= of the unit.";
      };
      wantedBy = unitList "Units that want this unit (a .wants symlink, not [Install]).";
      requiredBy = unitList "Units that require this unit.";
      aliases = unitList "Aliases of the unit.";
      wants = unitList "Wants= of the unit.";
      requires = unitList "Requires= of the unit.";
      after = unitList "After= of the unit.";
      before = unitList "Before= of the unit.";
      bindsTo = unitList "BindsTo= of the unit.";
      partOf = unitList "PartOf= of the unit.";
      conflicts = unitList "Conflicts= of the unit.";
      unitConfig = mkOption {
        type = types.attrsOf systemdOption;
        default = { };
        description = "Keys of the [Unit] section.";
      };
      restartTriggers = mkOption {
        type = types.listOf types.unspecified;
        default = [ ];
        description = "Items whose change restarts the unit on a switch.";
      };
      overrideStrategy = mkOption {
        type = types.enum [
          "asDropinIfExists"
          "asDropin"
        ];
        default = "asDropinIfExists";
        description = "Whether the definition becomes a drop-in when a package provides the unit.";
      };
    };
  };

  service = {
    options = {
      environment = mkOption {
        type = types.attrsOf (
          types.nullOr (
            types.oneOf [
              types.str
              types.path
              types.package
            ]
          )
        );
        default = { };
        description = "Environment= of the service.";
      };
      path = mkOption {
        type = types.listOf (
          types.oneOf [
            types.package
            types.str
          ]
        );
        default = [ ];
        description = "Packages whose bin and sbin go on the service's PATH.";
      };
      serviceConfig = mkOption {
        type = types.addCheck (types.attrsOf systemdOption) checkService;
        default = { };
        description = "Keys of the [Service] section.";
      };
      script = mkOption {
        type = types.lines;
        default = "";
        description = "Shell commands of the main process.";
      };
      restartIfChanged = mkOption {
        type = types.bool;
        default = true;
        description = "Whether a switch restarts the service when its definition changed.";
      };
      reloadIfChanged = mkOption {
        type = types.bool;
        default = false;
        description = "Whether a switch reloads the service instead.";
      };
      stopIfChanged = mkOption {
        type = types.bool;
        default = true;
        description = "Whether a switch stops the service in the old configuration before starting it.";
      };
    };
  };

  slice.options.sliceConfig = mkOption {
    type = types.attrsOf systemdOption;
    default = { };
    description = "Keys of the [Slice] section.";
  };

  # The dependency lists and the description become [Unit] keys, as in
  # nixpkgs (a unitConfig.After next to `after` conflicts there too).
  unitKeys =
    { config, ... }:
    let
      keyOf = key: units: lib.optionalAttrs (units != [ ]) { ${key} = toString units; };
    in
    {
      config.unitConfig =
        keyOf "Requires" config.requires
        // keyOf "Wants" config.wants
        // keyOf "After" config.after
        // keyOf "Before" config.before
        // keyOf "BindsTo" config.bindsTo
        // keyOf "PartOf" config.partOf
        // keyOf "Conflicts" config.conflicts
        // lib.optionalAttrs (config.description != "") { Description = config.description; };
    };

  # Every service's PATH: its `path` plus the minimal default nixpkgs
  # appends (coreutils, findutils, grep, sed, systemd). It is all a unit
  # gets; NixOS has no /usr/bin.
  servicePath =
    pkgs:
    { config, ... }:
    {
      config.path = lib.mkAfter [
        pkgs.coreutils
        pkgs.findutils
        pkgs.gnugrep
        pkgs.gnused
        pkgs.systemd
      ];
      config.environment.PATH = lib.mkIf (config.path != [ ]) "${lib.makeBinPath config.path}:${lib.makeSearchPathOutput "bin" "sbin" config.path}";
    };
in
{
  inherit unitName systemdOption;
  services = pkgs: types.attrsOf (types.submodule [ commonUnit unitKeys service (servicePath pkgs) ]);
  targets = types.attrsOf (types.submodule [ commonUnit unitKeys ]);
  slices = types.attrsOf (types.submodule [ commonUnit unitKeys slice ]);
}
