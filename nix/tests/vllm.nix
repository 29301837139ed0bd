# nix/lib/vllm.nix: the argv after `vllm` and the environment of vllm.service.
let
  check = import ./check.nix;
  merge = import ./merge.nix;
  host = import ./host.nix;
  command = overrides: import ../lib/vllm.nix (merge host.dubnium overrides);
  v1 = command { };
  # Arguments a shell or systemd would split or expand; they must stay
  # single, verbatim list elements (module.nix escapes them for ExecStart).
  awkward = [ "--chat-template" "{% if x %}a b{% endif %}" "--note" "$HOME \"q\" 'p' ; rm -rf /" ];
  tuned = command {
    hardware = {
      presentGpus = [ 0 1 ];
      computeGpus = [ 1 0 ];
    };
    vllm.extraArgs = awkward;
  };
in
check "v1 argv" v1.args [
  "serve"
  "/var/lib/dubnium/models/Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"
  "--served-model-name"
  "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"
  "--host"
  "127.0.0.1"
  "--port"
  "8000"
  "--tensor-parallel-size"
  "1"
  # the host's guardrails (hosts/workstation: the fit arithmetic is there)
  "--max-model-len"
  "32768"
  "--gpu-memory-utilization"
  "0.90"
]
++ check "v1 environment" v1.environment {
  CUDA_DEVICE_ORDER = "PCI_BUS_ID";
  CUDA_VISIBLE_DEVICES = "0";
  HF_HUB_OFFLINE = "1";
  VLLM_NO_USAGE_STATS = "1";
  DO_NOT_TRACK = "1";
}
++ check "extraArgs come last and verbatim" (builtins.genList (i: builtins.elemAt tuned.args (10 + i)) 4) awkward
++ check "argv length" (builtins.length tuned.args) 14
++ check "tensor parallelism spans the compute GPUs" (builtins.elemAt tuned.args 9) "2"
++ check "compute GPUs in the order given" tuned.environment.CUDA_VISIBLE_DEVICES "1,0"
