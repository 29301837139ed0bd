# Host-level options the workstation sets that no service module owns:
# hostname, boot loader, kernel modules, file systems, Nix and nixpkgs
# settings, state version, firewall ports. Types as in nixpkgs
# (networking.nix, firewall.nix, systemd-boot.nix, kernel.nix,
# filesystems.nix, nix.nix, nixpkgs.nix, version.nix); their effects (a bootable system) are not modelled.
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  strings = mkOption {
    type = types.listOf types.str;
    default = [ ];
    description = "A list of names.";
  };
in
{
  options = {
    networking.hostName = mkOption {
      # RFC 1123 labels, as nixpkgs checks them.
      type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
      default = "nixos";
      description = "The host name.";
    };

    # firewall.nix; the ports it opens are not modelled.
    networking.firewall.allowedTCPPorts = mkOption {
      type = types.listOf types.port;
      default = [ ];
      description = "TCP ports on which incoming connections are accepted.";
    };

    boot.loader.systemd-boot.enable = mkEnableOption "the systemd-boot EFI boot manager";
    boot.loader.efi.canTouchEfiVariables = mkOption {
      type = types.bool;
      default = false;
      description = "Whether the installer may modify EFI boot variables.";
    };
    boot.kernelModules = strings // {
      description = "Kernel modules loaded at boot (systemd-modules-load), before services start.";
    };
    boot.initrd.availableKernelModules = strings;
    boot.kernelPackages = mkOption {
      type = types.raw;
      default = pkgs.linuxPackages;
      description = "The kernel package set (nvidiaPackages lives here).";
    };

    fileSystems = mkOption {
      type = types.attrsOf (
        types.submodule {
          options = {
            device = mkOption {
              type = types.nullOr types.str;
              default = null;
              description = "The device to mount.";
            };
            fsType = mkOption {
              type = types.str;
              default = "auto";
              description = "The file system type.";
            };
            options = mkOption {
              type = types.nonEmptyListOf types.str;
              default = [ "defaults" ];
              description = "Mount options.";
            };
          };
        }
      );
      default = { };
      description = "The file systems to mount.";
    };
    swapDevices = mkOption {
      type = types.listOf types.attrs;
      default = [ ];
      description = "Swap devices.";
    };

    nix.settings = mkOption {
      type = types.submodule {
        freeformType = types.attrsOf types.anything;
        options.experimental-features = strings;
      };
      default = { };
      description = "nix.conf settings.";
    };
    nixpkgs.config = mkOption {
      type = types.attrsOf types.anything;
      default = { };
      description = "The nixpkgs configuration (allowUnfree, cudaSupport).";
    };
    nixpkgs.hostPlatform = mkOption {
      type = types.either types.str types.attrs;
      description = "The platform the system runs on.";
    };
    hardware.enableRedistributableFirmware = mkEnableOption "firmware with a license allowing redistribution";

    system.stateVersion = mkOption {
      type = types.str;
      description = "The NixOS release the machine was first installed with.";
    };
  };
}
