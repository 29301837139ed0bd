# The drop-ins of the controller's two units on a Slurm node with
# dubnium.slurm.enable (file name -> text), as ./eval-host.nix renders them:
# test/sandbox/slurm-unit-access.test.ts loads them into a real systemd and
# runs scontrol and squeue under them against a real slurmctld.
{ nixpkgsLib }:
let
  evaluated = import ./eval-host.nix {
    inherit nixpkgsLib;
    modules = [
      {
        services.slurm.client.enable = true;
        dubnium.slurm.enable = true;
      }
    ];
  };
  files = evaluated.config.system.build.etcSystemd;
in
{
  "mode-controller@.service" = files."mode-controller@.service.d/overrides.conf";
  "mode-boot.service" = files."mode-boot.service.d/overrides.conf";
}
