# hosts/workstation with nix/module.nix under nixpkgs' real lib.evalModules
# (./eval-host.nix): the host evaluates with no failed assertion; each of the
# plan's module assertions and SDDM's fires alone with its message; the
# generated /etc/dubnium/config.json is the golden file; the drop-ins say what
# the module means; k3s, nvidia_uvm and option merging behave as NixOS's
# would. Prints the list of failures ([ ] when all pass).
{ nixpkgsLib }:
let
  check = import ./check.nix;
  sectionsOf = import ./unit-sections.nix;
  evalHost = modules: import ./eval-host.nix { inherit nixpkgsLib modules; };
  v1 = evalHost [ ];
  inherit (v1) lib pkgs;
  inherit (lib) mkForce;
  utils = import ./nixos/utils.nix;
  golden = builtins.fromJSON (builtins.readFile ../../examples/workstation.config.json);
  startsWith = lib.hasPrefix;

  files = v1.config.system.build.etcSystemd;
  dropIn = unit: sectionsOf files."${unit}.d/overrides.conf";
  service = unit: (dropIn unit).Service;
  environmentOf = unit: map builtins.fromJSON (service unit).Environment;
  placeholder = "hosts/workstation/hardware-configuration.nix is the placeholder: regenerate it with `sudo nixos-generate-config --dir ./hosts/workstation` before switching (plan 1.1).";

  # Each case breaks one fact of the v1 host (mkForce, as the host sets the
  # value itself); exactly one message must fire and start with `prefix`.
  firingCases = {
    "display GPU not present" = {
      module.dubnium.hardware.displayGpu = mkForce 1;
      prefix = "dubnium.hardware.displayGpu: GPU 1 is not present (dubnium.hardware.presentGpus = [ 0 ])";
    };
    "desktop AI GPU not present" = {
      module.dubnium.hardware.desktopAiGpus = mkForce [ 1 ];
      prefix = "dubnium.hardware.desktopAiGpus: GPUs [ 1 ] are not present";
    };
    "compute GPU not present (the planned second GPU)" = {
      module.dubnium.hardware.computeGpus = mkForce [ 0 1 ];
      prefix = "dubnium.hardware.computeGpus: GPUs [ 1 ] are not present";
    };
    "vLLM enabled without a package" = {
      module.dubnium.vllm.package = mkForce null;
      prefix = "dubnium.vllm.package: must be set when dubnium.vllm.enable = true";
    };
    "vLLM enabled without a model" = {
      module.dubnium.vllm.model = mkForce null;
      prefix = "dubnium.vllm.model: must be set when dubnium.vllm.enable = true";
    };
    "no host name" = {
      module.networking.hostName = mkForce "";
      prefix = "dubnium: networking.hostName must be set";
    };
    "polkit turned off" = {
      module.security.polkit.enable = mkForce false;
      prefix = "dubnium: security.polkit.enable must stay true";
    };
    "SDDM with neither X nor Wayland" = {
      module.services.displayManager.sddm.wayland.enable = mkForce false;
      prefix = "SDDM requires either services.xserver.enable or services.displayManager.sddm.wayland.enable to be true";
    };
  };
  firingFailures = lib.concatLists (
    lib.mapAttrsToList (
      name: case:
      let
        fired = (evalHost [ case.module ]).failedAssertions;
      in
      if builtins.length fired == 1 && startsWith case.prefix (builtins.head fired) then
        [ ]
      else
        [ "fires alone: ${name}: expected one message starting with ${builtins.toJSON case.prefix}, got ${builtins.toJSON fired}" ]
    ) firingCases
  );

  passingCases = {
    "SDDM on X instead of Wayland" = {
      services.displayManager.sddm.wayland.enable = mkForce false;
      services.xserver.enable = true;
    };
    # The host states sddm.wayland.enable itself, so it does not rest on
    # Plasma 6's default (nixpkgs before 25.05 had none).
    "without Plasma 6 and its SDDM defaults" = {
      services.desktopManager.plasma6.enable = mkForce false;
    };
    "vLLM disabled, with neither package nor model" = {
      dubnium.vllm = {
        enable = mkForce false;
        package = mkForce null;
        model = mkForce null;
      };
    };
  };
  passingFailures = lib.concatLists (
    lib.mapAttrsToList (name: module: check "passes: ${name}" (evalHost [ module ]).failedAssertions [ ]) passingCases
  );

  vllmArgs = (import ../lib/vllm.nix v1.config.dubnium).args;
  execStart = (service "vllm.service").ExecStart;

  withK3s = evalHost [ { dubnium.k3s.enable = mkForce true; } ];
  k3sByHost = evalHost [ { services.k3s.enable = true; } ];
  k3sByBoth = evalHost [
    {
      dubnium.k3s.enable = mkForce true;
      services.k3s.enable = true;
    }
  ];
  k3sUnit = evaluated: sectionsOf evaluated.config.system.build.etcSystemd."k3s.service";

  withMetrics = evalHost [ { dubnium.metrics.enable = true; } ];
  metricsElsewhere = evalHost [
    {
      dubnium.metrics = {
        enable = true;
        textfileDir = "/srv/prometheus/text";
      };
    }
  ];
  metricsWithHostExporter = evalHost [
    {
      dubnium.metrics.enable = true;
      services.prometheus.exporters.node = {
        enabledCollectors = [ "systemd" ];
        port = 9200;
      };
    }
  ];
  exporterOf = evaluated: sectionsOf evaluated.config.system.build.etcSystemd."prometheus-node-exporter.service";
  execStartOf = evaluated: builtins.head (exporterOf evaluated).Service.ExecStart;
  configOf = evaluated: builtins.fromJSON evaluated.config.environment.etc."dubnium/config.json".text;
  textfileDir = "/var/lib/prometheus-node-exporter/text";

  withoutVllm = evalHost [ { dubnium.vllm.enable = mkForce false; } ];
  withoutNvidia = evalHost [ { services.xserver.videoDrivers = mkForce [ "modesetting" ]; } ];

  # What /proc/devices calls the groups the NVIDIA driver registers
  # (kernel-open: nv-frontend.c, nvidia-uvm/uvm.c, nv-caps.c, nv-caps-imex.c).
  nvidiaDeviceGroups = [
    "nvidia-frontend"
    "nvidia-uvm"
    "nvidia-caps"
    "nvidia-caps-imex-channels"
  ];
  deviceAllow = (service "vllm.service").DeviceAllow;

  packagedUnits = pkgs.mode-tools.unitNames;
  dropInUnits = map (name: lib.removeSuffix ".d/overrides.conf" name) (
    builtins.filter (lib.hasSuffix ".d/overrides.conf") (builtins.attrNames files)
  );

  # Merging as the module system does it for these option types.
  addedDevice = evalHost [ { systemd.services.vllm.serviceConfig.DeviceAllow = [ "char-drm" ]; } ];
  otherSlice = evalHost [ { systemd.services.vllm.serviceConfig.Slice = "other.slice"; } ];
  forcedSlice = evalHost [ { systemd.services.vllm.serviceConfig.Slice = mkForce "other.slice"; } ];
  extraVariable = evalHost [ { systemd.services.vllm.environment.NCCL_DEBUG = "WARN"; } ];
  otherGpus = evalHost [ { systemd.services.vllm.environment.CUDA_VISIBLE_DEVICES = "1"; } ];
  extraEtc = evalHost [ { environment.etc."dubnium/notes".text = "x"; } ];
  extraRule = "polkit.addRule(function () { return polkit.Result.NOT_HANDLED; });";
  moreRules = evalHost [ { security.polkit.extraConfig = extraRule; } ];
  extraPath = evalHost [ { systemd.services."mode-controller@".path = [ pkgs.vllm ]; } ];
  service' = evaluated: unit: (sectionsOf evaluated.config.system.build.etcSystemd."${unit}.d/overrides.conf").Service;
in
check "the v1 host fails no assertion" v1.failedAssertions [ ]
++ check "the v1 host warns only about the placeholder hardware configuration" v1.warnings [ placeholder ]
++ firingFailures
++ passingFailures
++ check "SDDM's greeter runs on Wayland, with Plasma's compositor" v1.config.services.displayManager.sddm.wayland {
  enable = true;
  compositor = "kwin";
}

# /etc/dubnium/config.json
++ check "/etc/dubnium/config.json is examples/workstation.config.json" (builtins.fromJSON
  v1.config.environment.etc."dubnium/config.json".text
) golden
++ check "/etc/dubnium/config.json is a read-only copy" v1.config.environment.etc."dubnium/config.json".mode "0444"
++ check "the units config.json names exist: the display manager" (files ? "display-manager.service") true
++ check "the units config.json names exist: every recovery-critical unit" (builtins.filter (
  unit: !(files ? ${unit})
) golden.units.recoveryCritical) [ ]

# The drop-ins
++ check "every definition of a packaged unit is a drop-in, never a replacement" (builtins.filter (
  unit: files ? ${unit}
) packagedUnits) [ ]
++ check "the packaged units that get a drop-in" (builtins.sort builtins.lessThan (
  builtins.filter (unit: builtins.elem unit packagedUnits) dropInUnits
)) (builtins.sort builtins.lessThan [
  "ai.slice"
  "audio-priority.service"
  "desktop.target"
  "interactive.slice"
  "mode-boot.service"
  "mode-controller@.service"
  "platform.slice"
  "studio-local-policy.service"
  "vllm-ready.service"
  "vllm.service"
])
++ check "vllm.service clears the packaged ExecStart, then runs the configured vLLM" execStart [
  ""
  "${pkgs.vllm}/bin/vllm ${utils.escapeSystemdExecArgs vllmArgs}"
]
++ check "vllm.service serves the seeded bundle on loopback" (
  startsWith ''${pkgs.vllm}/bin/vllm "serve" "/var/lib/dubnium/models/'' (builtins.elemAt execStart 1)
  && lib.hasInfix ''"--host" "127.0.0.1" "--port" "8000"'' (builtins.elemAt execStart 1)
) true
++ check "vllm.service runs in ai.slice" (service "vllm.service").Slice [ "ai.slice" ]
++ check "vllm.service sees only the compute GPUs, offline" (builtins.filter (
  line: builtins.elem line [
    "CUDA_VISIBLE_DEVICES=0"
    "CUDA_DEVICE_ORDER=PCI_BUS_ID"
    "HF_HUB_OFFLINE=1"
  ]
) (environmentOf "vllm.service")) [
  "CUDA_DEVICE_ORDER=PCI_BUS_ID"
  "CUDA_VISIBLE_DEVICES=0"
  "HF_HUB_OFFLINE=1"
]
++ check "vllm.service reaches only the NVIDIA device groups" (service "vllm.service").DevicePolicy [ "closed" ]
++ check "vllm.service's DeviceAllow names only groups the NVIDIA driver registers" (builtins.filter (
  entry: !(builtins.elem (lib.removePrefix "char-" entry) nvidiaDeviceGroups)
) deviceAllow) [ ]
++ check "vllm.service's DeviceAllow covers the GPUs and nvidiactl, nvidia-uvm and the capabilities" deviceAllow [
  "char-nvidia-frontend"
  "char-nvidia-uvm"
  "char-nvidia-caps"
]
++ check "vllm.service cannot load kernel modules" (service "vllm.service").ProtectKernelModules [ "true" ]
++ check "so nvidia_uvm is loaded at boot" (builtins.elem "nvidia_uvm" v1.config.boot.kernelModules) true
++ check "no nvidia_uvm without vLLM" (builtins.elem "nvidia_uvm" withoutVllm.config.boot.kernelModules) false
++ check "no nvidia_uvm without the NVIDIA driver" (builtins.elem "nvidia_uvm" withoutNvidia.config.boot.kernelModules) false
++ check "without vLLM the packaged placeholder stays" (withoutVllm.config.systemd.services.vllm.serviceConfig ? ExecStart) false
++ check "vllm-ready probes the configured port" (builtins.elem "VLLM_HEALTH_URL=http://127.0.0.1:8000/health" (
  environmentOf "vllm-ready.service"
)) true
++ check "a switch restarts none of the controller's units" (builtins.filter (
  unit: (service unit).X-RestartIfChanged or [ ] != [ "false" ]
) [
  "mode-controller@.service"
  "mode-boot.service"
  "studio-local-policy.service"
  "audio-priority.service"
  "vllm-ready.service"
  "vllm.service"
]) [ ]
++ check "the controller finds flock, lspci, pactl and nvidia-smi on its PATH" (
  let
    path = lib.removePrefix "PATH=" (lib.findFirst (lib.hasPrefix "PATH=") "" (environmentOf "mode-controller@.service"));
  in
  map (bin: lib.hasInfix bin path) [
    "${pkgs.util-linux}/bin"
    "${pkgs.pciutils}/bin"
    "${pkgs.pulseaudio}/bin"
    "${pkgs.linuxPackages.nvidiaPackages.stable.bin}/bin"
  ]
) [
  true
  true
  true
  true
]
++ check "no nvidia-smi on the controller's PATH without the NVIDIA driver" (
  lib.hasInfix "nvidia" (lib.concatStrings (map toString withoutNvidia.config.systemd.services."mode-controller@".path))
) false
++ check "mode-boot runs at boot" (files ? "multi-user.target.wants/mode-boot.service") true
++ check "desktop.target is reached at boot" (files ? "graphical.target.wants/desktop.target") true
++ check "the slices exist from boot" (map (slice: files ? "slices.target.wants/${slice}") [
  "interactive.slice"
  "ai.slice"
  "platform.slice"
]) [
  true
  true
  true
]

# k3s
++ check "k3s is off by default" v1.config.services.k3s.enable false
++ check "no k3s unit by default" (files ? "k3s.service") false
++ check "dubnium.k3s.enable turns k3s on" withK3s.config.services.k3s.enable true
++ check "k3s.service runs in platform.slice" (k3sUnit withK3s).Service.Slice [ "platform.slice" ]
++ check "k3s.service keeps its delegated cgroup (its pods live in kubepods, not platform.slice)" (k3sUnit withK3s).Service.Delegate [ "yes" ]
++ check "a host may enable k3s itself without a conflict" k3sByHost.config.services.k3s.enable true
++ check "and then the module does not move k3s into platform.slice" ((k3sUnit k3sByHost).Service ? Slice) false
++ check "host and module enabling k3s agree" k3sByBoth.config.services.k3s.enable true

# Prometheus metrics (issue 15)
++ check "metrics are off by default: no node exporter" v1.config.services.prometheus.exporters.node.enable false
++ check "and no prometheus-node-exporter.service" (files ? "prometheus-node-exporter.service") false
++ check "and the controller's units open no folder for it" (map (unit: (service unit) ? ReadWritePaths) [
  "mode-controller@.service"
  "mode-boot.service"
]) [
  false
  false
]
++ check "dubnium.metrics.enable turns node_exporter on" withMetrics.config.services.prometheus.exporters.node.enable true
++ check "with the textfile collector" withMetrics.config.services.prometheus.exporters.node.enabledCollectors [ "textfile" ]
++ check "reading the controller's folder" withMetrics.config.services.prometheus.exporters.node.extraFlags [
  "--collector.textfile.directory=${textfileDir}"
]
++ check "prometheus-node-exporter.service runs node_exporter so, at boot" (
  map (word: lib.hasInfix word (execStartOf withMetrics)) [
    "${pkgs.prometheus-node-exporter}/bin/node_exporter "
    " --collector.textfile "
    " --collector.textfile.directory=${textfileDir}"
  ]
  ++ [ (withMetrics.config.system.build.etcSystemd ? "multi-user.target.wants/prometheus-node-exporter.service") ]
) [
  true
  true
  true
  true
]
++ check "the folder is created at boot, readable by the exporter's user" (builtins.elem "d ${textfileDir} 0755 root root - -" withMetrics.config.systemd.tmpfiles.rules) true
++ check "both writers of dubnium.prom get through ProtectSystem=strict to it, a missing folder never failing their start" (map (unit: (service' withMetrics unit).ReadWritePaths) [
  "mode-controller@.service"
  "mode-boot.service"
]) [
  [ "-${textfileDir}" ]
  [ "-${textfileDir}" ]
]
++ check "config.json tells the controller to write it there" (configOf withMetrics).metrics {
  enable = true;
  inherit textfileDir;
}
++ check "another folder: the flag, tmpfiles, the units and config.json follow" [
  metricsElsewhere.config.services.prometheus.exporters.node.extraFlags
  (builtins.elem "d /srv/prometheus/text 0755 root root - -" metricsElsewhere.config.systemd.tmpfiles.rules)
  (service' metricsElsewhere "mode-controller@.service").ReadWritePaths
  (configOf metricsElsewhere).metrics.textfileDir
] [
  [ "--collector.textfile.directory=/srv/prometheus/text" ]
  true
  [ "-/srv/prometheus/text" ]
  "/srv/prometheus/text"
]
++ check "the host's own node exporter settings join the module's (collectors merge, the port stays the host's)" [
  (builtins.sort builtins.lessThan metricsWithHostExporter.config.services.prometheus.exporters.node.enabledCollectors)
  (lib.hasInfix "--web.listen-address 0.0.0.0:9200" (execStartOf metricsWithHostExporter))
] [
  [ "systemd" "textfile" ]
  true
]

# Merging
++ check "another module's DeviceAllow entries are added (a list option)" (service' addedDevice "vllm.service").DeviceAllow [
  "char-nvidia-frontend"
  "char-nvidia-uvm"
  "char-nvidia-caps"
  "char-drm"
]
++ check "a second Slice= at the same priority is a conflict, not a silent move" (builtins.tryEval (
  builtins.deepSeq otherSlice.config.systemd.services.vllm.serviceConfig.Slice true
)).success false
++ check "mkForce moves vllm.service" (service' forcedSlice "vllm.service").Slice [ "other.slice" ]
++ check "the polkit rule is the tested file" v1.config.security.polkit.extraConfig (builtins.readFile ../polkit/50-mode-controller.rules)
++ check "group modectl exists" (v1.config.users.groups ? modectl) true
++ check "the model store and the state folders are created" (builtins.filter (
  rule: builtins.elem rule v1.config.systemd.tmpfiles.rules
) [
  "d /var/lib/dubnium 0755 root root - -"
  "d /var/lib/dubnium/models 0755 root root - -"
  "d /var/lib/mode-controller 0750 root root - -"
  "d /run/mode-controller 0755 root root - -"
]) [
  "d /var/lib/dubnium 0755 root root - -"
  "d /var/lib/dubnium/models 0755 root root - -"
  "d /var/lib/mode-controller 0750 root root - -"
  "d /run/mode-controller 0755 root root - -"
]
++ check "the mode command is installed" (builtins.elem pkgs.mode-tools v1.config.environment.systemPackages) true
++ check "another module's environment variable joins vllm.service's (an attribute set option)" (
  builtins.filter (line: builtins.elem line [ "NCCL_DEBUG=WARN" "CUDA_VISIBLE_DEVICES=0" ]) (
    map builtins.fromJSON (service' extraVariable "vllm.service").Environment
  )
) [
  "CUDA_VISIBLE_DEVICES=0"
  "NCCL_DEBUG=WARN"
]
++ check "a second CUDA_VISIBLE_DEVICES at the same priority is a conflict" (builtins.tryEval (
  builtins.deepSeq otherGpus.config.systemd.services.vllm.environment.CUDA_VISIBLE_DEVICES true
)).success false
++ check "another module's /etc file sits beside config.json" (builtins.attrNames extraEtc.config.environment.etc) [
  "dubnium/config.json"
  "dubnium/hardware-configuration-placeholder"
  "dubnium/notes"
]
++ check "the placeholder hardware configuration leaves its marker in /etc for mode doctor" (
  lib.hasPrefix "hosts/workstation/hardware-configuration.nix is the placeholder" v1.config.environment.etc."dubnium/hardware-configuration-placeholder".text
) true
++ check "polkit rules of other modules are appended to the module's rule" (
  lib.hasInfix (builtins.readFile ../polkit/50-mode-controller.rules) moreRules.config.security.polkit.extraConfig
  && lib.hasInfix extraRule moreRules.config.security.polkit.extraConfig
) true
++ check "a service's path merges with the module's" (builtins.elem pkgs.vllm extraPath.config.systemd.services."mode-controller@".path) true
