# A stand-in for nixpkgs' Slurm and MUNGE modules
# (nixos/modules/services/computing/slurm/slurm.nix and
# nixos/modules/services/security/munge.nix), with the option paths and
# types there that nix/module.nix and the lab host of docs/fleet.md read or
# set. The real wiring it keeps: any Slurm role turns munge on (mkDefault);
# client.enable defines slurmd.service, server.enable slurmctld.service
# (after munged.service), munge.enable munged.service with its
# RuntimeDirectory munge (/run/munge, where munged's socket is).
#
# Left out: the wrapped binaries (a let binding of the real module that sets
# SLURM_CONF to <etcSlurm>/slurm.conf; no other module can name them), the
# slurm user, slurmdbd, X11 and cgroup settings. `etcSlurm` is internal
# there too, "meant to make the Slurm config file available to other modules".
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib) mkDefault mkEnableOption mkIf mkOption types;
  cfg = config.services.slurm;
  lines = description: mkOption {
    type = types.listOf types.str;
    default = [ ];
    inherit description;
  };
  anyRole = cfg.enableStools || cfg.client.enable || cfg.server.enable;
in
{
  options.services.slurm = {
    server.enable = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to enable the slurm control daemon.";
    };
    client.enable = mkEnableOption "slurm client daemon";
    enableStools = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to provide a slurm.conf file.";
    };
    package = mkOption {
      type = types.package;
      default = pkgs.slurm;
      description = "The package to use for slurm binaries.";
    };
    controlMachine = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "The short hostname of the machine where SLURM control functions are executed.";
    };
    clusterName = mkOption {
      type = types.str;
      default = "default";
      description = "Necessary to distinguish accounting records in a multi-cluster environment.";
    };
    nodeName = lines "NodeName= lines of slurm.conf, each without the key.";
    partitionName = lines "PartitionName= lines of slurm.conf, each without the key.";
    procTrackType = mkOption {
      type = types.str;
      default = "proctrack/linuxproc";
      description = "Plugin to be used for process tracking on a job step basis.";
    };
    extraConfig = mkOption {
      type = types.lines;
      default = "";
      description = "Extra configuration options added verbatim at the end of slurm.conf.";
    };
    extraConfigPaths = mkOption {
      type = types.listOf types.path;
      default = [ ];
      description = "Store paths merged into the folder of slurm.conf (gres.conf, ...).";
    };
    etcSlurm = mkOption {
      type = types.path;
      internal = true;
      # The real default is a symlinkJoin of slurm.conf, cgroup.conf,
      # plugstack.conf (and mpi.conf) written from the options above.
      default = pkgs.standIn "etc-slurm";
      description = "Path to directory with slurm config files.";
    };
  };

  options.services.munge = {
    enable = mkEnableOption "munge service";
    password = mkOption {
      type = types.path;
      default = "/etc/munge/munge.key";
      description = "The path to a daemon's secret key.";
    };
  };

  config = lib.mkMerge [
    (mkIf anyRole { services.munge.enable = mkDefault true; })
    (mkIf cfg.client.enable {
      systemd.services.slurmd = {
        wantedBy = [ "multi-user.target" ];
        # sic: munge.service; the real module orders slurmd after a unit that does not exist
        after = [
          "systemd-tmpfiles-clean.service"
          "munge.service"
          "network-online.target"
          "remote-fs.target"
        ];
        wants = [ "network-online.target" ];
        serviceConfig = {
          Type = "forking";
          KillMode = "process";
          PIDFile = "/run/slurmd.pid";
          Delegate = "Yes";
        };
      };
    })
    (mkIf cfg.server.enable {
      systemd.services.slurmctld = {
        wantedBy = [ "multi-user.target" ];
        after = [
          "network.target"
          "munged.service"
        ];
        requires = [ "munged.service" ];
        serviceConfig = {
          Type = "forking";
          PIDFile = "/run/slurmctld.pid";
        };
      };
    })
    (mkIf config.services.munge.enable {
      systemd.services.munged = {
        wantedBy = [ "multi-user.target" ];
        wants = [ "network-online.target" ];
        after = [
          "network-online.target"
          "time-sync.target"
        ];
        serviceConfig = {
          User = "munge";
          Group = "munge";
          StateDirectory = "munge";
          RuntimeDirectory = "munge";
        };
      };
    })
  ];
}
