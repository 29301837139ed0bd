# The desktop stack the workstation enables, as far as it decides whether
# the host evaluates and what the controller finds: X server options,
# SDDM (nixos/modules/services/display-managers/sddm.nix) with its
# assertion, Plasma 6 (services/desktop-managers/plasma6.nix) with the SDDM
# defaults it sets since nixpkgs PR 368074 (Dec 2024, in 25.05 and 25.11),
# and the display-manager.service SDDM runs as. Messages are nixpkgs' own.
{ config, lib, ... }:
let
  inherit (lib) mkIf mkOption mkEnableOption types;
  sddm = config.services.displayManager.sddm;
in
{
  options = {
    services.xserver.enable = mkEnableOption "the X server";
    services.xserver.videoDrivers = mkOption {
      type = types.listOf types.str;
      default = [
        "modesetting"
        "fbdev"
      ];
      description = "The display drivers (nvidia selects hardware.nvidia).";
    };
    services.displayManager.enable = mkEnableOption "systemd's display-manager service";
    services.displayManager.sddm = {
      enable = mkOption {
        type = types.bool;
        default = false;
        description = "Whether to enable sddm as the display manager.";
      };
      wayland.enable = mkEnableOption "experimental Wayland support";
      wayland.compositor = mkOption {
        type = types.enum [
          "kwin"
          "weston"
        ];
        default = "weston";
        description = "The compositor the greeter runs on.";
      };
    };
    services.desktopManager.plasma6.enable = mkOption {
      type = types.bool;
      default = false;
      description = "Enable the Plasma 6 (KDE 6) desktop environment.";
    };
  };

  config = lib.mkMerge [
    (mkIf sddm.enable {
      assertions = [
        {
          assertion = config.services.xserver.enable || sddm.wayland.enable;
          message = ''
            SDDM requires either services.xserver.enable or services.displayManager.sddm.wayland.enable to be true
          '';
        }
      ];
      services.displayManager.enable = true;
    })
    (mkIf config.services.displayManager.enable {
      # The unit the controller stops for compute and expects back for desktop.
      systemd.services.display-manager = {
        description = "Display Manager";
        after = [
          "systemd-user-sessions.service"
          "systemd-logind.service"
        ];
        serviceConfig.Restart = "always";
      };
    })
    (mkIf config.services.desktopManager.plasma6.enable {
      services.displayManager.sddm.wayland = lib.mkDefault {
        enable = true;
        compositor = "kwin";
      };
      services.pipewire.enable = lib.mkDefault true;
    })
  ];
}
