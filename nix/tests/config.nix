# nix/lib/config.nix: the golden file for hosts/workstation, and the values
# that come from options (not constants) follow the options.
let
  check = import ./check.nix;
  merge = import ./merge.nix;
  host = import ./host.nix;
  generate = dubnium: import ../lib/config.nix { inherit (host) hostName; inherit dubnium; };
  golden = builtins.fromJSON (builtins.readFile ../../examples/workstation.config.json);
  twoGpus = generate (
    merge host.dubnium {
      hardware = {
        presentGpus = [ 0 1 ];
        computeGpus = [ 0 1 ];
        desktopAiGpus = [ 1 ];
      };
      vllm = {
        modelStore = "/srv/models";
        port = 8001;
        extraArgs = [ "--enforce-eager" ];
      };
      boot.defaultMode = "studio-local";
      capabilityPlacement.studio = "remote";
      k3s.enable = true;
      thresholds.stepTimeoutsMs.vllmReady = 60000;
      metrics = {
        enable = true;
        textfileDir = "/srv/prometheus/text";
      };
      slurm = {
        enable = true;
        nodeName = "ws01";
        computeFeature = "dubnium_compute";
        drainWaitSeconds = 0;
        commandTimeoutSeconds = 5;
        ipAddressAllow = [ "10.0.0.1" ];
      };
    }
  );
  slurmTools = {
    scontrol = "/nix/store/00000000000000000000000000000000-slurm/bin/scontrol";
    squeue = "/nix/store/00000000000000000000000000000000-slurm/bin/squeue";
  };
  withTools = import ../lib/config.nix {
    inherit (host) hostName;
    inherit (host) dubnium;
    tools = slurmTools;
  };
in
check "hosts/workstation generates examples/workstation.config.json" (import ./workstation-config.nix) golden
++ check "hardware follows the options" twoGpus.hardware {
  presentGpus = [ 0 1 ];
  displayGpu = 0;
  computeGpus = [ 0 1 ];
  plannedGpuCount = 2;
  desktopAiGpus = [ 1 ];
}
++ check "vllm follows the options, without the package" twoGpus.vllm {
  enable = true;
  model = "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ";
  modelStore = "/srv/models";
  extraArgs = [ "--enforce-eager" ];
  port = 8001;
}
++ check "the model store is a persistence path" twoGpus.persistencePaths [ "/srv/models" ]
++ check "boot default mode" twoGpus.boot.defaultMode "studio-local"
++ check "studio placement" twoGpus.capabilityPlacement.studio "remote"
++ check "k3s" twoGpus.k3s.enable true
++ check "a step timeout" twoGpus.thresholds.stepTimeoutsMs.vllmReady 60000
++ check "metrics follow the options" twoGpus.metrics {
  enable = true;
  textfileDir = "/srv/prometheus/text";
}
++ check "slurm follows the options, without the units' addresses" twoGpus.slurm {
  enable = true;
  nodeName = "ws01";
  computeFeature = "dubnium_compute";
  drainWaitSeconds = 0;
  commandTimeoutSeconds = 5;
}
++ check "tools are the ones given, none by default" [ withTools.tools twoGpus.tools ] [ slurmTools { } ]
++ check "a disabled vLLM without a model is null in JSON" (builtins.toJSON (generate (merge host.dubnium { vllm = { enable = false; model = null; }; })).vllm.model) "null"
