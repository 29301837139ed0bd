# Unit text the way nixpkgs renders a systemd.services/targets/slices entry
# (systemd-lib.nix: attrsToSection, serviceToUnit): one `Key=value` line per
# value, a list giving one line per element; environment as quoted
# Environment= lines; restartIfChanged = false as X-RestartIfChanged=false,
# the key switch-to-configuration reads.
lib:
let
  inherit (lib) concatStrings concatMapStrings mapAttrsToList optionalString;

  showValue =
    value:
    if value == true then
      "true"
    else if value == false then
      "false"
    else
      toString value;

  section =
    keys:
    concatStrings (
      lib.concatLists (
        mapAttrsToList (key: value: map (one: "${key}=${showValue one}\n") (lib.toList value)) keys
      )
    );

  unitSection = unit: "[Unit]\n" + section unit.unitConfig;

  environmentLines =
    environment:
    concatMapStrings (
      name:
      optionalString (environment.${name} != null) "Environment=${builtins.toJSON "${name}=${environment.${name}}"}\n"
    ) (builtins.attrNames environment);
in
{
  service =
    unit:
    unitSection unit
    + "[Service]\n"
    + environmentLines unit.environment
    + (
      if unit.reloadIfChanged then
        "X-ReloadIfChanged=true\n"
      else if !unit.restartIfChanged then
        "X-RestartIfChanged=false\n"
      else
        ""
    )
    + optionalString (!unit.stopIfChanged) "X-StopIfChanged=false\n"
    + section unit.serviceConfig;
  target = unitSection;
  slice = unit: unitSection unit + "[Slice]\n" + section unit.sliceConfig;
}
