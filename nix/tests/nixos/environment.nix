# environment.etc and environment.systemPackages (nixos/modules/system/etc/
# etc.nix, config/system-path.nix), with etc's per-file options.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  etcFile =
    { name, ... }:
    {
      options = {
        enable = mkOption {
          type = types.bool;
          default = true;
          description = "Whether the file is created.";
        };
        target = mkOption {
          type = types.str;
          default = name;
          description = "Path below /etc.";
        };
        text = mkOption {
          type = types.nullOr types.lines;
          default = null;
          description = "Content of the file.";
        };
        source = mkOption {
          type = types.nullOr types.path;
          default = null;
          description = "File the entry links or copies.";
        };
        mode = mkOption {
          type = types.str;
          default = "symlink";
          description = "`symlink`, or the octal mode of a copied file.";
        };
        user = mkOption {
          type = types.str;
          default = "+0";
          description = "Owner of a copied file.";
        };
        group = mkOption {
          type = types.str;
          default = "+0";
          description = "Group of a copied file.";
        };
      };
    };
in
{
  options.environment = {
    etc = mkOption {
      type = types.attrsOf (types.submodule etcFile);
      default = { };
      description = "Files in /etc.";
    };
    systemPackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      description = "Packages in the system profile.";
    };
  };
}
