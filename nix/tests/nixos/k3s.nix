# k3s (nixos/modules/services/cluster/rancher/default.nix): k3s.service with
# the settings that decide where its processes run. Delegate=yes and
# KillMode=process: the server, its embedded containerd and the
# containerd-shims stay in k3s.service's cgroup, while the kubelet puts every
# pod's containers in its own kubepods cgroup tree, outside it.
{ config, lib, ... }:
{
  options.services.k3s.enable = lib.mkEnableOption "k3s";
  config = lib.mkIf config.services.k3s.enable {
    systemd.services.k3s = {
      description = "k3s service";
      wantedBy = [ "multi-user.target" ];
      serviceConfig = {
        Type = "notify";
        KillMode = "process";
        Delegate = "yes";
        Restart = "always";
      };
    };
  };
}
