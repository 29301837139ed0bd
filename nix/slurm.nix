# dubnium.slurm: this workstation is a node of a Slurm cluster whose state
# follows the mode (drained outside compute, resumed once compute is proven;
# docs/fleet.md). Part of nix/module.nix, which imports it and puts
# dubnium.slurm and the two tools into /etc/dubnium/config.json; this file
# declares the options, asserts that nixpkgs' Slurm module runs slurmd here,
# and opens the controller's units just as far as scontrol and squeue need.
{
  config,
  lib,
  ...
}:
let
  inherit (lib) mkIf mkOption types;
  cfg = config.dubnium.slurm;
  defaults = (import ./lib/defaults.nix).slurm;

  option =
    type: default: description:
    mkOption { inherit type default description; };

  # The same words schemas/config.ts accepts, so a bad name fails evaluation
  # rather than the controller's config check at the first run.
  nodeNameType = types.strMatching "[A-Za-z0-9][A-Za-z0-9._-]{0,252}";
  featureType = types.strMatching "[A-Za-z0-9_]{1,64}";
  # One IPAddressAllow= word each: an address, a prefix or systemd's
  # any/localhost/link-local/multicast; whitespace would split it.
  addressType = types.strMatching "[^[:space:]]+";

  # Both units that run scontrol: a run (drain, resume, the jobs guard) and
  # mode boot (it publishes the boot mode to the fleet adapters).
  slurmClient = {
    # Ordering only: slurmd and munged are the Slurm module's to start; a run
    # started at boot must not ask before they are up.
    after = [
      "munged.service"
      "slurmd.service"
    ];
    # The package's own binaries read slurm.conf from its compiled-in
    # sysconfdir, /etc/slurm, which nixpkgs' module does not create; its
    # wrappers that set SLURM_CONF are a let binding no other module can
    # name. So the units get the file the module generated.
    environment.SLURM_CONF = "${config.services.slurm.etcSlurm}/slurm.conf";
    # The base units allow AF_UNIX in a private network namespace and deny
    # every IP address. scontrol and squeue need TCP to slurmctld
    # (SlurmctldPort, 6817) and a name lookup for SlurmctldHost; munged's
    # socket (/run/munge) is a path socket, reachable already. Nothing hides
    # /etc/slurm, /run/munge or the store (ProtectSystem=strict leaves them
    # readable, and connecting to a socket on a read-only mount works), so no
    # ReadWritePaths= or BindReadOnlyPaths= are added.
    serviceConfig = {
      PrivateNetwork = false;
      # Added to the unit's AF_UNIX (systemd merges these lists).
      RestrictAddressFamilies = [
        "AF_INET"
        "AF_INET6"
      ];
      # Allowed over the unit's IPAddressDeny=any.
      IPAddressAllow = cfg.ipAddressAllow;
    };
  };
in
{
  options.dubnium.slurm = {
    enable = option types.bool defaults.enable ''
      Slurm follows the mode: outside compute the controller drains this
      node (reason `dubnium: <mode>`), once compute is proven it resumes it,
      and leaving compute waits for its running jobs (guard
      `slurm-jobs-running`; docs/fleet.md). Needs
      {option}`services.slurm.client.enable`: the workstation must be a
      Slurm node, listed in slurm.conf.
    '';
    nodeName = mkOption {
      type = types.nullOr nodeNameType;
      default = defaults.nodeName;
      example = "ws01";
      description = ''
        This machine's NodeName in slurm.conf; null: the host name
        ({option}`networking.hostName`).
      '';
    };
    computeFeature = mkOption {
      type = types.nullOr featureType;
      default = defaults.computeFeature;
      example = "dubnium_compute";
      description = ''
        A node feature the controller adds (to the available and active
        features) while compute is proven and removes outside compute; Slurm
        refuses a job with `--constraint` on it while no node has it
        (docs/fleet.md). null: none.
      '';
    };
    drainWaitSeconds = option (types.ints.between 0 1200) defaults.drainWaitSeconds ''
      How long leaving compute waits, after draining the node, for its
      running jobs to end; jobs still running then block the switch unless
      it was requested with `--force`. At most 1200 s: the wait runs inside
      mode-controller@.service, whose TimeoutStartSec=30min must still
      cover the steps after it.
    '';
    commandTimeoutSeconds = option (types.ints.between 1 120) defaults.commandTimeoutSeconds ''
      The time limit of each scontrol and squeue call.
    '';
    ipAddressAllow = mkOption {
      type = types.nonEmptyListOf addressType;
      default = defaults.ipAddressAllow;
      example = [
        "10.0.0.1"
        "localhost"
      ];
      description = ''
        `IPAddressAllow=` of the controller's units while Slurm is on, over
        their `IPAddressDeny=any`: the addresses of slurmctld (and of the DNS
        resolver, if SlurmctldHost is a name). `any` lifts the deny; list
        the addresses to keep everything else denied. Not part of
        /etc/dubnium/config.json.
      '';
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = config.services.slurm.client.enable;
        message = "dubnium.slurm.enable: needs services.slurm.client.enable = true; this workstation must be a Slurm node running slurmd (with services.slurm.controlMachine, nodeName and partitionName listing it, docs/fleet.md \"Running a lab\"), or set dubnium.slurm.enable = false.";
      }
    ];
    systemd.services."mode-controller@" = slurmClient;
    systemd.services.mode-boot = slurmClient;
  };
}
