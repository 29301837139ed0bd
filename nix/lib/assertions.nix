# The module's assertions as a function of the dubnium.* option values
# (builtins only, so nix/tests can evaluate it without nixpkgs). Each message
# starts with the option path it is about and says how to fix the host facts;
# the plan's rule is to fix the facts, never to bypass an assertion.
dubnium:
let
  inherit (builtins) all concatStringsSep elem filter length substring stringLength;
  inherit (dubnium) hardware metrics vllm;

  showGpus = gpus: if gpus == [ ] then "[ ]" else "[ ${concatStringsSep " " (map toString gpus)} ]";
  absent = gpus: filter (gpu: !(elem gpu hardware.presentGpus)) gpus;
  present = "dubnium.hardware.presentGpus = ${showGpus hardware.presentGpus}";
  startsWith = prefix: s: substring 0 (stringLength prefix) s == prefix;
  hasDotDot = path: elem ".." (filter builtins.isString (builtins.split "/" path));
in
[
  {
    assertion = elem hardware.displayGpu hardware.presentGpus;
    message = "dubnium.hardware.displayGpu: GPU ${toString hardware.displayGpu} is not present (${present}). Set displayGpu to the index `nvidia-smi --query-gpu=index,name,pci.bus_id --format=csv` shows for the GPU that drives the display.";
  }
  {
    assertion = absent hardware.desktopAiGpus == [ ];
    message = "dubnium.hardware.desktopAiGpus: GPUs ${showGpus (absent hardware.desktopAiGpus)} are not present (${present}). Desktop AI may only use installed GPUs; leave desktopAiGpus = [ ] until the GPU is installed.";
  }
  {
    assertion = hardware.computeGpus != [ ];
    message = "dubnium.hardware.computeGpus: is empty. Compute mode hands these GPUs to vLLM; list at least one present GPU (the v1 host uses [ 0 ]).";
  }
  {
    assertion = absent hardware.computeGpus == [ ];
    message = "dubnium.hardware.computeGpus: GPUs ${showGpus (absent hardware.computeGpus)} are not present (${present}). List only installed GPUs; a planned GPU belongs in dubnium.hardware.plannedGpuCount.";
  }
  {
    assertion = hardware.plannedGpuCount >= length hardware.presentGpus;
    message = "dubnium.hardware.plannedGpuCount: ${toString hardware.plannedGpuCount} is less than the ${toString (length hardware.presentGpus)} GPUs in ${present}. Raise plannedGpuCount to at least the number of installed GPUs.";
  }
  {
    assertion = vllm.enable -> vllm.package != null;
    message = "dubnium.vllm.package: must be set when dubnium.vllm.enable = true (for example dubnium.vllm.package = pkgs.vllm;), or set dubnium.vllm.enable = false.";
  }
  {
    assertion = vllm.enable -> vllm.model != null;
    message = "dubnium.vllm.model: must be set when dubnium.vllm.enable = true (for example \"Qwen/Qwen2.5-Coder-14B-Instruct\", seeded under dubnium.vllm.modelStore), or set dubnium.vllm.enable = false.";
  }
  {
    # The controller's schema allows 1 to 512 characters; "" is not "unset".
    assertion = vllm.model == null || (vllm.model != "" && stringLength vllm.model <= 512);
    message = "dubnium.vllm.model: must be null or a Hugging Face id of 1 to 512 characters, not ${toString (stringLength vllm.model)} characters.";
  }
  {
    assertion = length vllm.extraArgs <= 256 && all (arg: stringLength arg <= 4096) vllm.extraArgs;
    message = "dubnium.vllm.extraArgs: at most 256 arguments of at most 4096 characters each (the controller's config schema refuses more).";
  }
  {
    assertion =
      startsWith "/" vllm.modelStore
      && !(startsWith "/nix/store" vllm.modelStore)
      && !(hasDotDot vllm.modelStore)
      && stringLength vllm.modelStore <= 4096
      # it is a field of a tmpfiles.d line, which whitespace or a backslash would split or escape
      && builtins.match ".*[[:space:]\\].*" vllm.modelStore == null;
    message = "dubnium.vllm.modelStore: \"${vllm.modelStore}\" must be an absolute path outside the Nix store, without \"..\", whitespace or backslashes (default /var/lib/dubnium/models); model weights are seeded there by hand, never built into the store.";
  }
  {
    assertion =
      startsWith "/" metrics.textfileDir
      && !(startsWith "/nix/store" metrics.textfileDir)
      && !(hasDotDot metrics.textfileDir)
      && stringLength metrics.textfileDir <= 4096
      # a field of a tmpfiles.d line and of ReadWritePaths=, which whitespace or a backslash would split or escape
      && builtins.match ".*[[:space:]\\].*" metrics.textfileDir == null;
    message = "dubnium.metrics.textfileDir: \"${metrics.textfileDir}\" must be an absolute path outside the Nix store, without \"..\", whitespace or backslashes (default /var/lib/prometheus-node-exporter/text); the controller writes dubnium.prom there and node_exporter reads it.";
  }
  {
    assertion = dubnium.enableDesktopProfile -> hardware.desktopAiGpus != [ ];
    message = "dubnium.enableDesktopProfile: needs at least one GPU in dubnium.hardware.desktopAiGpus. Keep enableDesktopProfile = false until a second GPU is installed and transitions are proven (plan phase 10).";
  }
]
