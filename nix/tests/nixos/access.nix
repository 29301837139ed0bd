# Users, groups, polkit and rtkit (nixos/modules/config/users-groups.nix,
# security/polkit.nix, security/rtkit.nix): the options the module and the
# host set, with nixpkgs' types and merging (polkit's extraConfig is `lines`:
# every module's rules are concatenated).
{ lib, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
in
{
  options = {
    users.groups = mkOption {
      type = types.attrsOf (
        types.submodule (
          { name, ... }:
          {
            options = {
              name = mkOption {
                type = types.passwdEntry types.str;
                default = name;
                description = "The group's name.";
              };
              gid = mkOption {
                type = types.nullOr types.int;
                default = null;
                description = "The group's GID; null allocates one.";
              };
              members = mkOption {
                type = types.listOf (types.passwdEntry types.str);
                default = [ ];
                description = "The group's members.";
              };
            };
          }
        )
      );
      default = { };
      description = "Groups.";
    };
    users.users = mkOption {
      type = types.attrsOf (
        types.submodule {
          options.extraGroups = mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "The user's supplementary groups.";
          };
          options.isNormalUser = mkOption {
            type = types.bool;
            default = false;
            description = "Whether this is a login account.";
          };
        }
      );
      default = { };
      description = "Users.";
    };

    security.polkit.enable = mkEnableOption "polkit";
    security.polkit.extraConfig = mkOption {
      type = types.lines;
      default = "";
      description = "JavaScript rules for /etc/polkit-1/rules.d/10-nixos.rules.";
    };
    security.rtkit.enable = mkEnableOption "the RealtimeKit system service";
  };
}
