# The services.slurm settings of the lab host of docs/fleet.md
# (examples/lab/workstation.nix with hosts/workstation, ./eval-host.nix), the
# lines nixpkgs' slurm.nix writes into slurm.conf from them (its configFile:
# `NodeName=<each nodeName>`, `PartitionName=<each partitionName>`, then
# extraConfig verbatim), for test/fleet/lab-slurm-conf.test.ts to give a real
# slurmctld.
{ nixpkgsLib }:
let
  inherit ((import ./eval-host.nix {
    inherit nixpkgsLib;
    modules = [ ../../examples/lab/workstation.nix ];
  }).config.services) slurm;
in
{
  inherit (slurm) clusterName controlMachine extraConfig;
  nodeName = map (line: "NodeName=${line}") slurm.nodeName;
  partitionName = map (line: "PartitionName=${line}") slurm.partitionName;
}
