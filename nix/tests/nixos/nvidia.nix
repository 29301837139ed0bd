# The NVIDIA driver (nixos/modules/hardware/video/nvidia.nix): selected by
# services.xserver.videoDrivers = [ "nvidia" ]; the options the host and the
# module read, and the assertion on `open` that every driver >= 560 has.
{ config, lib, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  cfg = config.hardware.nvidia;
in
{
  options = {
    hardware.graphics.enable = mkEnableOption "hardware accelerated graphics drivers";
    hardware.nvidia = {
      modesetting.enable = mkEnableOption "kernel modesetting with the NVIDIA driver";
      open = mkOption {
        type = types.nullOr types.bool;
        default = null;
        description = "Whether to use the open NVIDIA kernel module.";
      };
      package = mkOption {
        type = types.package;
        default = config.boot.kernelPackages.nvidiaPackages.stable;
        description = "The NVIDIA driver package (its `bin` output has nvidia-smi).";
      };
    };
  };

  config = lib.mkIf (builtins.elem "nvidia" config.services.xserver.videoDrivers) {
    assertions = [
      {
        assertion = cfg.open != null || lib.versionOlder cfg.package.version "560";
        message = ''
          You must configure `hardware.nvidia.open` on NVIDIA driver versions >= 560.
          It is suggested to use the open source kernel modules on Turing or later GPUs (RTX series, GTX 16xx), and the closed source modules otherwise.
        '';
      }
    ];
  };
}
