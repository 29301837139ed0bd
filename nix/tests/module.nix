# nix/module.nix evaluated against nix/tests/stub-nixpkgs.nix: every option
# has a type, a default and a description; the defaults are nix/lib/defaults.nix
# and fit their types; and the config it writes plugs in the pure functions
# (config JSON, assertions, vLLM command, polkit rule) as intended.
let
  inherit (builtins)
    attrNames
    concatLists
    concatMap
    filter
    foldl'
    fromJSON
    isAttrs
    mapAttrs
    readFile
    ;
  check = import ./check.nix;
  merge = import ./merge.nix;
  standIn = import ./stand-in.nix;
  host = import ./host.nix;
  stub = import ./stub-nixpkgs.nix;
  defaults = import ../lib/defaults.nix;
  golden = fromJSON (readFile ../../examples/workstation.config.json);

  modeTools = standIn "mode-tools";
  pkgs = {
    callPackage = _path: _args: modeTools;
    util-linux = standIn "util-linux";
    pciutils = standIn "pciutils";
    pulseaudio = standIn "pulseaudio";
  };
  nvidiaBin = standIn "nvidia-x11-bin";

  evaluate =
    {
      dubnium ? { },
      videoDrivers ? [ "nvidia" ],
    }:
    import ../module.nix {
      inherit pkgs;
      inherit (stub) lib utils;
      config = {
        dubnium = merge host.dubnium dubnium // { package = modeTools; };
        networking.hostName = host.hostName;
        services.xserver.videoDrivers = videoDrivers;
        hardware.nvidia.package.bin = nvidiaBin;
        security.polkit.enable = true;
      };
    };

  # mkIf / mkMerge / mkDefault as a single definition of each option resolves them.
  resolve =
    value:
    if !(isAttrs value) then
      value
    else if (value._type or null) == "if" then
      (if value.condition then resolve value.content else { })
    else if (value._type or null) == "merge" then
      foldl' (merged: next: merge merged (resolve next)) { } value.contents
    else if (value._type or null) == "override" then
      resolve value.content
    else
      mapAttrs (_: resolve) value;

  # Options as a list of { path, option }, walking nested option sets.
  optionsUnder =
    path: set:
    concatLists (
      map (
        name:
        let
          value = set.${name};
        in
        if (value._type or null) == "option" then
          [
            {
              path = path ++ [ name ];
              option = value;
            }
          ]
        else
          optionsUnder (path ++ [ name ]) value
      ) (attrNames set)
    );
  leavesUnder =
    path: set:
    concatLists (
      map (
        name:
        if isAttrs set.${name} then leavesUnder (path ++ [ name ]) set.${name} else [ (path ++ [ name ]) ]
      ) (attrNames set)
    );
  showPath = path: "dubnium." + builtins.concatStringsSep "." path;
  at = path: set: foldl' (value: name: value.${name}) set path;
  has =
    path: set:
    path == [ ] || (isAttrs set && set ? ${builtins.head path} && has (builtins.tail path) set.${builtins.head path});

  v1 = evaluate { };
  options = optionsUnder [ ] v1.options.dubnium;
  optionPaths = map (o: showPath o.path) options;
  config = resolve v1.config;
  services = config.systemd.services;
  rules = readFile ../polkit/50-mode-controller.rules;

  # The options issue 6 lists, plus `package` (what systemd.packages installs).
  expectedOptions = [
    "dubnium.boot.defaultMode"
    "dubnium.capabilityPlacement.studio"
    "dubnium.enableDesktopProfile"
    "dubnium.hardware.computeGpus"
    "dubnium.hardware.desktopAiGpus"
    "dubnium.hardware.displayGpu"
    "dubnium.hardware.plannedGpuCount"
    "dubnium.hardware.presentGpus"
    "dubnium.k3s.enable"
    "dubnium.package"
    "dubnium.thresholds.gpuResidualMiB"
    "dubnium.thresholds.memoryHeadroomMiB"
    "dubnium.thresholds.minModelStoreFreeMiB"
    "dubnium.thresholds.pollIntervalMs"
    "dubnium.thresholds.stepTimeoutsMs.gpuRelease"
    "dubnium.thresholds.stepTimeoutsMs.isolate"
    "dubnium.thresholds.stepTimeoutsMs.observe"
    "dubnium.thresholds.stepTimeoutsMs.setProperty"
    "dubnium.thresholds.stepTimeoutsMs.start"
    "dubnium.thresholds.stepTimeoutsMs.stop"
    "dubnium.thresholds.stepTimeoutsMs.terminateSession"
    "dubnium.thresholds.stepTimeoutsMs.vllmReady"
    "dubnium.vllm.enable"
    "dubnium.vllm.extraArgs"
    "dubnium.vllm.model"
    "dubnium.vllm.modelStore"
    "dubnium.vllm.package"
    "dubnium.vllm.port"
  ];

  optionFailures = concatMap (
    { path, option }:
    let
      name = showPath path;
      declared = option ? type && option ? default && builtins.isString (option.description or null) && option.description != "";
    in
    if !declared then
      [ "${name} lacks a type, a default or a description" ]
    else if path == [ "package" ] then
      check "${name} defaults to the package built by nix/package.nix" option.default modeTools
    else
      check "${name} defaults to nix/lib/defaults.nix" option.default (at path defaults)
      ++ check "${name}: its default fits its type (${option.type.name})" (option.type.check option.default) true
      ++ check "${name}: the v1 host's value fits its type (${option.type.name})" (option.type.check (at path host.dubnium)) true
  ) options;

  undeclaredDefaults = map (path: "${showPath path} is in nix/lib/defaults.nix but is no option") (
    filter (path: !(has path v1.options.dubnium)) (leavesUnder [ ] defaults)
  );

  execStart = services.vllm.serviceConfig.ExecStart;
  withoutVllm = resolve (evaluate { dubnium.vllm.enable = false; }).config;
  withK3s = resolve (evaluate { dubnium.k3s.enable = true; }).config;
  withoutNvidia = resolve (evaluate { videoDrivers = [ "modesetting" ]; }).config;
  otherPort = resolve (evaluate { dubnium.vllm.port = 8100; }).config;
in
optionFailures
++ undeclaredDefaults
++ check "the option set is the one issue 6 lists" (builtins.sort builtins.lessThan optionPaths) expectedOptions
++ check "/etc/dubnium/config.json is the golden file" (fromJSON config.environment.etc."dubnium/config.json".text) golden
++ check "/etc/dubnium/config.json is a read-only copy" config.environment.etc."dubnium/config.json".mode "0444"
++ check "the v1 host passes every assertion" (filter (a: !a.assertion) config.assertions) [ ]
++ check "the assertions are nix/lib/assertions.nix plus hostName and polkit" (builtins.length config.assertions) (builtins.length (import ../lib/assertions.nix host.dubnium) + 2)
++ check "units come from the package" config.systemd.packages [ modeTools ]
++ check "the mode command is installed" config.environment.systemPackages [ modeTools ]
++ check "desktop.target is reached at boot" config.systemd.targets.desktop.wantedBy [ "graphical.target" ]
++ check "the slices exist from boot" (mapAttrs (_: s: s.wantedBy) config.systemd.slices) {
  interactive = [ "slices.target" ];
  ai = [ "slices.target" ];
  platform = [ "slices.target" ];
}
++ check "mode-boot runs at boot" services.mode-boot.wantedBy [ "multi-user.target" ]
++ check "a switch never re-runs a transition" services."mode-controller@".restartIfChanged false
++ check "the controller finds its tools on PATH" services."mode-controller@".path [
  pkgs.util-linux
  pkgs.pciutils
  pkgs.pulseaudio
  nvidiaBin
]
++ check "no nvidia-smi without the NVIDIA driver" withoutNvidia.systemd.services."mode-controller@".path [
  pkgs.util-linux
  pkgs.pciutils
  pkgs.pulseaudio
]
++ check "vllm.service replaces the placeholder with the escaped command" execStart [
  ""
  ''/nix/store/00000000000000000000000000000000-vllm/bin/vllm "serve" "/var/lib/dubnium/models/Qwen/Qwen2.5-Coder-14B-Instruct" "--served-model-name" "Qwen/Qwen2.5-Coder-14B-Instruct" "--host" "127.0.0.1" "--port" "8000" "--tensor-parallel-size" "1"''
]
++ check "vllm.service runs in ai.slice" services.vllm.serviceConfig.Slice "ai.slice"
++ check "vllm.service sees only the compute GPUs" services.vllm.environment.CUDA_VISIBLE_DEVICES "0"
++ check "vllm.service is left alone by a switch" services.vllm.restartIfChanged false
++ check "without vLLM the placeholder stays" (withoutVllm.systemd.services.vllm ? serviceConfig) false
++ check "vllm-ready probes the configured port" otherPort.systemd.services.vllm-ready.environment.VLLM_HEALTH_URL "http://127.0.0.1:8100/health"
++ check "the model store and the state folders are created" config.systemd.tmpfiles.rules [
  "d /var/lib/dubnium 0755 root root - -"
  "d /var/lib/dubnium/models 0755 root root - -"
  "d /var/lib/mode-controller 0750 root root - -"
  "d /run/mode-controller 0755 root root - -"
]
++ check "group modectl exists" (config.users.groups ? modectl) true
++ check "the polkit rule is the tested file" config.security.polkit.extraConfig rules
++ check "polkit is on" config.security.polkit.enable true
++ check "k3s is off unless enabled" config.services.k3s.enable false
++ check "no k3s unit settings unless enabled" (services.k3s or { }) { }
++ check "k3s when enabled" withK3s.services.k3s.enable true
++ check "k3s runs in platform.slice" withK3s.systemd.services.k3s.serviceConfig.Slice "platform.slice"
