# The node exporter (nixos/modules/services/monitoring/prometheus/exporters.nix
# with exporters/node.nix): services.prometheus.exporters.node's options, as
# mkExporterOpts and node.nix declare them, and the unit they become:
# prometheus-node-exporter.service running node_exporter with
# `--collector.<name>` per enabled collector, `--no-collector.<name>` per
# disabled one, the listen address and the extra flags (nixpkgs splits the
# same words over continued lines), hardened with ProtectSystem=strict, so
# the exporter only reads the textfile folder. The node-exporter user that
# nixpkgs declares (DynamicUser = false) is left out: nothing here reads it.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib) mkEnableOption mkIf mkOption types;
  cfg = config.services.prometheus.exporters.node;
  strings = description: mkOption {
    type = types.listOf types.str;
    default = [ ];
    inherit description;
  };
in
{
  options.services.prometheus.exporters.node = {
    enable = mkEnableOption "the prometheus node exporter";
    port = mkOption {
      type = types.port;
      default = 9100;
      description = "Port to listen on.";
    };
    listenAddress = mkOption {
      type = types.str;
      default = "0.0.0.0";
      description = "Address to listen on.";
    };
    extraFlags = strings "Extra commandline options to pass to the node exporter.";
    enabledCollectors = strings "Collectors to enable. The collectors listed here are enabled in addition to the default ones.";
    disabledCollectors = strings "Collectors to disable which are enabled by default.";
    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open port in firewall for incoming connections.";
    };
    user = mkOption {
      type = types.str;
      default = "node-exporter";
      description = "User name under which the node exporter shall be run.";
    };
    group = mkOption {
      type = types.str;
      default = "node-exporter";
      description = "Group under which the node exporter shall be run.";
    };
  };

  config = mkIf cfg.enable {
    systemd.services.prometheus-node-exporter = {
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = lib.concatStringsSep " " (
          [ "${pkgs.prometheus-node-exporter}/bin/node_exporter" ]
          ++ map (x: "--collector." + x) cfg.enabledCollectors
          ++ map (x: "--no-collector." + x) cfg.disabledCollectors
          ++ [ "--web.listen-address ${cfg.listenAddress}:${toString cfg.port}" ]
          ++ cfg.extraFlags
        );
        DynamicUser = false;
        User = cfg.user;
        Group = cfg.group;
        RuntimeDirectory = "prometheus-node-exporter";
        Restart = "always";
        ProtectSystem = "strict";
        ProtectHome = true;
      };
    };
  };
}
