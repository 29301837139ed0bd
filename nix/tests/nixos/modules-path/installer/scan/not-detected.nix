# nixpkgs' nixos/modules/installer/scan/not-detected.nix, which
# hardware-configuration.nix imports through modulesPath: it only allows
# redistributable firmware.
{ lib, ... }:
{
  hardware.enableRedistributableFirmware = lib.mkDefault true;
}
