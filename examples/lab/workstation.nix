# One workstation of a lab (docs/fleet.md, "Running a lab"): a node of the
# Slurm partition `workstations` whose state follows the mode, and
# node_exporter serving dubnium.prom to the lab's Prometheus. Import it on
# every workstation next to its host configuration (networking.hostName is
# its NodeName); nix/tests/slurm.nix evaluates it with hosts/workstation.
{ lib, pkgs, ... }:
{
  services.slurm = {
    client.enable = true;
    # slurmctld's host; it has these same services.slurm settings with
    # server.enable = true, and the same /etc/munge/munge.key.
    controlMachine = "labctl";
    clusterName = "lab";
    nodeName = [ "ws[01-04] CPUs=16 RealMemory=60000 Gres=gpu:1 State=UNKNOWN" ];
    partitionName = [
      "workstations Nodes=ws[01-04] Default=YES DefaultTime=01:00:00 MaxTime=12:00:00 OverSubscribe=NO State=UP"
    ];
    extraConfig = ''
      GresTypes=gpu
      SelectType=select/cons_tres
      SelectTypeParameters=CR_Core_Memory
      # a node DOWN because slurmd stopped answering returns when it
      # registers again; a node the controller drained stays drained
      # (ReturnToService never clears DRAIN) until the controller resumes it
      ReturnToService=2
      SlurmctldPort=6817
      SlurmdPort=6818
    '';
    # gres.conf beside slurm.conf: GPU 0 is the one compute mode hands over.
    extraConfigPaths = [ (pkgs.writeTextDir "gres.conf" "Name=gpu File=/dev/nvidia0\n") ];
  };

  # slurmctld connects to slurmd on this port
  networking.firewall.allowedTCPPorts = [ 6818 ];

  dubnium.slurm = {
    enable = true;
    # set while compute is proven: sinfo -o "%N %f" shows which workstations serve
    computeFeature = "dubnium_compute";
    # leaving compute waits up to 10 min for running jobs, then blocks
    drainWaitSeconds = 600;
  };
  # Compute mode's GPU goes to Slurm's jobs here, not to a vLLM server.
  dubnium.vllm.enable = lib.mkForce false;

  dubnium.metrics.enable = true;
  # the lab's Prometheus scrapes node_exporter on port 9100
  services.prometheus.exporters.node.openFirewall = true;
}
