# ================================ PLACEHOLDER ================================
# Not this machine's hardware. Regenerate it on the workstation (plan 1.1):
#
#   sudo nixos-generate-config --dir ./hosts/workstation
#
# then delete the configuration.nix it writes next to it (default.nix is this
# host's configuration) and review the file systems, the EFI mount point and
# the kernel modules it found. The placeholder only lets `nix flake check`
# evaluate nixosConfigurations.workstation; it prints a warning on every build.
# =============================================================================
{ lib, modulesPath, ... }:
{
  imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];

  warnings = [
    "hosts/workstation/hardware-configuration.nix is the placeholder: regenerate it with `sudo nixos-generate-config --dir ./hosts/workstation` before switching (plan 1.1)."
  ];

  # The running system's sign of the placeholder, which the build warning is
  # not: `mode doctor` fails while this file is in /etc. A regenerated file
  # has no such line, so the next switch removes it.
  environment.etc."dubnium/hardware-configuration-placeholder".text = ''
    hosts/workstation/hardware-configuration.nix is the placeholder; regenerate it (docs/install-nixos.md, phase 1).
  '';

  boot.initrd.availableKernelModules = [
    "nvme"
    "xhci_pci"
    "ahci"
    "usbhid"
    "sd_mod"
  ];
  boot.kernelModules = [ "kvm-amd" "kvm-intel" ];

  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-label/boot";
    fsType = "vfat";
    options = [
      "fmask=0077"
      "dmask=0077"
    ];
  };
  swapDevices = [ ];

  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
}
