# Declarations of the NixOS options that nix/module.nix and hosts/workstation
# set, for lib.evalModules with nixpkgs' real lib (../eval-host.nix). Each
# file stands in for the nixpkgs module named in its header: same option
# paths and types, and the assertions and wiring that matter to this host.
[
  ./assertions.nix
  ./system.nix
  ./environment.nix
  ./access.nix
  ./systemd.nix
  ./desktop.nix
  ./audio.nix
  ./openssh.nix
  ./k3s.nix
  ./prometheus.nix
  ./slurm.nix
  ./nvidia.nix
]
