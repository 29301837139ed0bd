# The Dubnium NixOS module: dubnium.* options, /etc/dubnium/config.json, the
# packaged units with their NixOS wiring, vLLM, state folders and the polkit
# rule for group modectl.
#
# The logic lives in builtins-only functions in ./lib (assertions, the
# generated config, the vLLM command), which nix/tests evaluates without
# nixpkgs; this file only declares options and plugs those values in.
{
  config,
  lib,
  pkgs,
  utils,
  ...
}:
let
  inherit (lib) mkIf mkOption types;

  cfg = config.dubnium;
  defaults = import ./lib/defaults.nix;
  generated = import ./lib/config.nix {
    inherit (config.networking) hostName;
    dubnium = cfg;
    inherit tools;
  };
  # NixOS resolves no bare command name: with Slurm on, the controller runs
  # the binaries of the package nixpkgs' Slurm module runs slurmd from.
  tools = lib.optionalAttrs cfg.slurm.enable (
    lib.genAttrs [ "scontrol" "squeue" ] (tool: "${lib.getBin config.services.slurm.package}/bin/${tool}")
  );
  vllm = import ./lib/vllm.nix cfg;

  gpuIndex = types.ints.between 0 63;
  gpuList = types.listOf gpuIndex;
  millis = types.ints.between 1 86400000;
  # Up to 1 PiB: JSON numbers above 2^53 would not survive the controller's parser.
  mebibytes = types.ints.between 0 1073741824;
  modes = [
    "desktop"
    "studio-local"
    "compute"
  ];

  option =
    type: default: description:
    mkOption { inherit type default description; };

  nvidiaEnabled = lib.elem "nvidia" config.services.xserver.videoDrivers;
  # Tools the controller looks up on PATH (effects/exec/tool-lookup.ts):
  # systemctl, loginctl and bootctl come with NixOS's default service PATH.
  controllerPath = [
    pkgs.util-linux # flock
    pkgs.pciutils # lspci
    pkgs.pulseaudio # pactl
  ]
  ++ lib.optional nvidiaEnabled config.hardware.nvidia.package.bin; # nvidia-smi

  # Both writers of dubnium.prom (a run, and mode boot) get through
  # ProtectSystem=strict to the textfile folder; `-`: a folder removed by
  # hand must never keep a switch from starting (its write is journaled).
  metricsWriter = mkIf cfg.metrics.enable { ReadWritePaths = [ "-${cfg.metrics.textfileDir}" ]; };

  # The controller owns these units' lifecycle; `nixos-rebuild switch` must
  # never start, stop or re-run them behind its back.
  controllerOwned = {
    restartIfChanged = false;
  };
in
{
  # dubnium.slurm: its options, assertion and unit changes.
  imports = [ ./slurm.nix ];

  options.dubnium = {
    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = lib.literalExpression "pkgs.callPackage ./nix/package.nix { }";
      description = "The mode-tools package: the `mode` command and the systemd units of units/.";
    };

    hardware = {
      presentGpus = mkOption {
        type = gpuList;
        default = defaults.hardware.presentGpus;
        example = [
          0
          1
        ];
        description = ''
          Indices (as `nvidia-smi --query-gpu=index --format=csv` prints them) of
          the GPUs physically installed and visible now. Real hardware only: a
          GPU that is planned but not installed belongs in `plannedGpuCount`.
        '';
      };
      displayGpu = option gpuIndex defaults.hardware.displayGpu ''
        Index of the GPU that drives the display. Must be one of `presentGpus`.
      '';
      computeGpus = option gpuList defaults.hardware.computeGpus ''
        GPUs that compute mode hands to vLLM (`CUDA_VISIBLE_DEVICES`, and
        `--tensor-parallel-size` equal to their count). Only present GPUs; keep
        `[ 0 ]` while one GPU is installed.
      '';
      plannedGpuCount = option (types.ints.between 0 64) defaults.hardware.plannedGpuCount ''
        GPUs planned for this host; informational, and at least the number of
        `presentGpus`.
      '';
      desktopAiGpus = option gpuList defaults.hardware.desktopAiGpus ''
        GPUs that desktop AI may use in desktop and studio-local modes. Empty in
        v1; only present GPUs.
      '';
    };

    capabilityPlacement.studio = option (types.enum [
      "local"
      "remote"
      "disabled"
    ]) defaults.capabilityPlacement.studio ''
      Where studio work (REAPER, live audio) runs: `local` makes studio-local
      a desktop overlay on this host.
    '';

    vllm = {
      enable = option types.bool defaults.vllm.enable ''
        Whether compute mode serves a model with vLLM (vllm.service, started by
        the controller in compute mode only, in ai.slice).
      '';
      package = mkOption {
        type = types.nullOr types.package;
        default = defaults.vllm.package;
        example = lib.literalExpression "pkgs.vllm";
        description = "The vLLM package; required when `dubnium.vllm.enable` is true.";
      };
      model = mkOption {
        type = types.nullOr types.str;
        default = defaults.vllm.model;
        example = "Qwen/Qwen2.5-Coder-14B-Instruct";
        description = ''
          Hugging Face id of the model; its materialized bundle is the folder
          `<modelStore>/<model>`. vLLM serves it under this name and runs with
          `HF_HUB_OFFLINE=1`, so it never downloads. Required when
          `dubnium.vllm.enable` is true.
        '';
      };
      extraArgs = mkOption {
        type = types.listOf types.str;
        default = defaults.vllm.extraArgs;
        example = [
          "--max-model-len"
          "8192"
          "--gpu-memory-utilization"
          "0.70"
          "--enforce-eager"
        ];
        description = ''
          Extra arguments for `vllm serve`, one list element per argument; each
          is escaped for ExecStart, so spaces, quotes, `%` and `$` arrive verbatim.
        '';
      };
      # types.port admits 0, which is no port to listen on.
      port = option (types.ints.between 1 65535) defaults.vllm.port ''
        Port vLLM listens on, on 127.0.0.1 only; vllm-ready.service probes
        `http://127.0.0.1:<port>/health`.
      '';
      modelStore = mkOption {
        # str, not path: a path value would be copied into the Nix store.
        type = types.str;
        default = defaults.vllm.modelStore;
        description = ''
          Folder holding model bundles, outside the Nix store and outside Git;
          seeded by hand (plan phase 0.5). Created at boot; vLLM reads it only.
        '';
      };
    };

    metrics = {
      enable = option types.bool defaults.metrics.enable ''
        Export the controller's state to Prometheus: after every run and at
        boot the controller writes `dubnium.prom` (observed and desired mode,
        pending, transitions by outcome, their durations, guard blocks, GPU
        holders; docs/fleet.md) into {option}`dubnium.metrics.textfileDir`,
        and node_exporter serves it with its textfile collector
        ({option}`services.prometheus.exporters.node` is enabled for it).
      '';
      textfileDir = mkOption {
        # str, not path: a path value would be copied into the Nix store.
        type = types.str;
        default = defaults.metrics.textfileDir;
        description = ''
          The folder node_exporter's textfile collector reads
          (`--collector.textfile.directory`); created at boot, writable by
          the controller's units.
        '';
      };
    };

    k3s.enable = option types.bool defaults.k3s.enable ''
      Whether to run k3s, with k3s.service in platform.slice. The platform
      weights of studio-local then cover the k3s server (with its kubelet),
      its containerd and the containerd-shims, but not the pods: the kubelet
      runs their containers in its own kubepods cgroup tree, outside
      platform.slice (docs/install-nixos.md).
      Keep false until mode control is proven (plan phase 10).
    '';

    boot.defaultMode = option (types.enum modes) defaults.boot.defaultMode ''
      The mode mode-boot.service requests at every boot.
    '';

    enableDesktopProfile = option types.bool defaults.enableDesktopProfile ''
      Reserved for the bounded desktop-AI profile (plan phase 10): AI work in
      the desktop modes on `hardware.desktopAiGpus`, which must then be
      non-empty. Keep false for the first rollout; v1 adds nothing when true.
    '';

    notice = {
      graceSeconds = option (types.ints.between 0 3600) defaults.notice.graceSeconds ''
        Before a switch ends a graphical session someone is using (compute),
        the controller warns that user with a desktop notification (a "Keep my
        session" action) and waits this long; they may refuse with it or with
        `mode cancel`. 0: no warning, no wait.
      '';
      idleAfterSeconds = option types.ints.unsigned defaults.notice.idleAfterSeconds ''
        A session logind calls idle (IdleHint) for longer than this has nobody
        at it: it is ended without a warning. 0: an idle session is still warned.
      '';
      ifUnwarned = option (types.enum [
        "wait"
        "proceed"
      ]) defaults.notice.ifUnwarned ''
        When the warning cannot be shown (no session bus, no notification
        daemon): wait the grace anyway, so `mode cancel` can still refuse, or
        go ahead at once.
      '';
    };

    thresholds = {
      memoryHeadroomMiB = option mebibytes defaults.thresholds.memoryHeadroomMiB ''
        MemAvailable (MiB) compute needs before it starts vLLM.
      '';
      gpuResidualMiB = option mebibytes defaults.thresholds.gpuResidualMiB ''
        Memory (MiB) display processes may still hold on a compute GPU for it
        to count as released.
      '';
      minModelStoreFreeMiB = option mebibytes defaults.thresholds.minModelStoreFreeMiB ''
        Free space (MiB) the model store needs for compute to start.
      '';
      pollIntervalMs = option millis defaults.thresholds.pollIntervalMs ''
        Interval (ms) between observations while the controller waits.
      '';
      stepTimeoutsMs = lib.mapAttrs (
        step: default: option millis default "Time limit (ms) of the controller's `${step}` step."
      ) defaults.thresholds.stepTimeoutsMs;
    };
  };

  config = {
    assertions = import ./lib/assertions.nix cfg ++ [
      {
        assertion = config.networking.hostName != "";
        message = "dubnium: networking.hostName must be set; it is the hostname of /etc/dubnium/config.json and of every record.";
      }
      {
        assertion = config.security.polkit.enable;
        message = "dubnium: security.polkit.enable must stay true; group modectl requests modes through the polkit rule in nix/polkit/.";
      }
    ];

    environment.etc."dubnium/config.json" = {
      text = builtins.toJSON generated;
      # A copied, read-only, root-owned file rather than a symlink into the
      # store: the controller refuses a config that others could write.
      mode = "0444";
    };
    environment.systemPackages = [ cfg.package ];

    # The units come from the package; NixOS ignores their [Install]
    # sections, so every wantedBy is set here.
    systemd.packages = [ cfg.package ];
    systemd.targets.desktop.wantedBy = [ "graphical.target" ];
    systemd.slices = lib.genAttrs [ "interactive" "ai" "platform" ] (_: {
      wantedBy = [ "slices.target" ];
    });
    systemd.services = {
      "mode-controller@" = controllerOwned // {
        path = controllerPath;
        serviceConfig = metricsWriter;
      };
      mode-boot = controllerOwned // {
        wantedBy = [ "multi-user.target" ];
        path = controllerPath;
        serviceConfig = metricsWriter;
      };
      studio-local-policy = controllerOwned;
      audio-priority = controllerOwned;
      # Each session user's audio publisher (units/dubnium-audio-state@.service):
      # the controller cannot reach a per-user PipeWire itself (ProtectHome=yes,
      # no capabilities), so every user manager wants its instance, which runs
      # as that user and writes /run/dubnium-audio/<uid>/state.json.
      "user@".wants = [ "dubnium-audio-state@%i.service" ];
      vllm-ready = controllerOwned // {
        # readiness: /health answers 200 and /v1/models lists the served model name (units/vllm-ready.service)
        environment = {
          VLLM_HEALTH_URL = "http://127.0.0.1:${toString cfg.vllm.port}/health";
          VLLM_MODELS_URL = "http://127.0.0.1:${toString cfg.vllm.port}/v1/models";
        } // lib.optionalAttrs (cfg.vllm.model != null) { VLLM_MODEL = cfg.vllm.model; };
      };
      vllm = lib.mkMerge [
        controllerOwned
        (mkIf cfg.vllm.enable {
          environment = vllm.environment // {
            HOME = "/var/cache/vllm";
            HF_HOME = "/var/cache/vllm/huggingface";
          };
          serviceConfig = {
            # Clear the packaged placeholder, then the real command line.
            ExecStart = [
              ""
              "${cfg.vllm.package}/bin/vllm ${utils.escapeSystemdExecArgs vllm.args}"
            ];
            Slice = "ai.slice";
            DynamicUser = true;
            CacheDirectory = "vllm";
            # Hardening after nixpkgs' ollama module, with these exceptions:
            PrivateDevices = false; # hides /dev/nvidia*
            DevicePolicy = "closed";
            # Device groups are the names in /proc/devices. The driver
            # registers "nvidia-frontend" (major 195: /dev/nvidia0..N,
            # /dev/nvidiactl at minor 255, /dev/nvidia-modeset at 254),
            # "nvidia-uvm" (/dev/nvidia-uvm, -tools) and "nvidia-caps"
            # (/dev/nvidia-caps/*). nvidiactl and nvidia-modeset are nodes of
            # the nvidia-frontend group, not groups of their own.
            DeviceAllow = [
              "char-nvidia-frontend"
              "char-nvidia-uvm"
              "char-nvidia-caps"
            ];
            MemoryDenyWriteExecute = false; # PyTorch and Triton JIT-compile GPU kernels
            ProcSubset = "all"; # /proc/meminfo, /proc/cpuinfo
            CapabilityBoundingSet = [ "" ];
            NoNewPrivileges = true;
            LockPersonality = true;
            PrivateTmp = true;
            ProtectClock = true;
            ProtectControlGroups = true;
            ProtectHome = true;
            ProtectHostname = true;
            ProtectKernelLogs = true;
            ProtectKernelModules = true;
            ProtectKernelTunables = true;
            ProtectSystem = "strict";
            RemoveIPC = true;
            RestrictNamespaces = true;
            RestrictRealtime = true;
            RestrictSUIDSGID = true;
            RestrictAddressFamilies = [
              "AF_INET"
              "AF_INET6"
              "AF_UNIX"
              "AF_NETLINK" # NCCL and Gloo enumerate interfaces for tensor parallelism
            ];
            SystemCallArchitectures = "native";
            SystemCallFilter = [
              "@system-service @resources"
              "~@privileged"
            ];
            UMask = "0077";
          };
        })
      ];
      # k3s.service itself (the server with its kubelet, the embedded
      # containerd and the containerd-shims); the kubelet puts the pods'
      # containers in its own kubepods cgroup tree (kubepods.slice with the
      # systemd cgroup driver), which platform.slice does not contain.
      k3s = mkIf cfg.k3s.enable { serviceConfig.Slice = "platform.slice"; };
    };

    # vllm.service runs with ProtectKernelModules=yes, so CUDA cannot load
    # nvidia_uvm on first use (and nvidia-modprobe, setuid, is barred by
    # NoNewPrivileges): load it at boot, in systemd-modules-load.service,
    # which sysinit.target, and so vllm.service, comes after.
    boot.kernelModules = mkIf (cfg.vllm.enable && nvidiaEnabled) [ "nvidia_uvm" ];

    systemd.tmpfiles.rules = [
      "d /var/lib/dubnium 0755 root root - -"
      # Readable by vllm.service's dynamic user; written only when seeding.
      "d ${cfg.vllm.modelStore} 0755 root root - -"
      # The units' StateDirectory= and RuntimeDirectory= with the same modes;
      # created at boot too, so `mode status` finds them before any run.
      "d /var/lib/mode-controller 0750 root root - -"
      "d /run/mode-controller 0755 root root - -"
    ]
    # node_exporter (its own user) reads dubnium.prom, 0644, through this 0755 folder.
    ++ lib.optional cfg.metrics.enable "d ${cfg.metrics.textfileDir} 0755 root root - -";

    users.groups.modectl = { };
    security.polkit.enable = lib.mkDefault true;
    security.polkit.extraConfig = builtins.readFile ./polkit/50-mode-controller.rules;

    # node_exporter with its textfile collector on the controller's folder;
    # the host keeps its other settings (port, listenAddress, openFirewall).
    services.prometheus.exporters.node = mkIf cfg.metrics.enable {
      enable = true;
      enabledCollectors = [ "textfile" ];
      extraFlags = [ "--collector.textfile.directory=${cfg.metrics.textfileDir}" ];
    };

    # mkIf, not `= cfg.k3s.enable`: a host that enables k3s itself gets no
    # conflicting definition, and dubnium.k3s.enable = false disables nothing.
    services.k3s.enable = mkIf cfg.k3s.enable true;
  };
}
