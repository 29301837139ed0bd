# What vllm.service runs, as data (builtins only): the argv after the vllm
# binary and the environment. module.nix escapes `args` for ExecStart with
# utils.escapeSystemdExecArgs; nix/tests checks the list itself.
dubnium:
let
  inherit (builtins) concatStringsSep length;
  inherit (dubnium) hardware vllm;
in
{
  args = [
    "serve"
    # The seeded bundle is a plain directory named like the Hugging Face id,
    # so vLLM never has to resolve (or download) the id itself
    # (docs/runbooks/model-seeding.md). Compute's model-missing and
    # model-does-not-fit guards read this same folder before anything stops.
    "${vllm.modelStore}/${vllm.model}"
    # Clients still address the model by its Hugging Face id.
    "--served-model-name"
    vllm.model
    # Loopback only: the controller's health probe and local clients.
    "--host"
    "127.0.0.1"
    "--port"
    (toString vllm.port)
    "--tensor-parallel-size"
    (toString (length hardware.computeGpus))
  ]
  # Last, so an operator's flag (e.g. --tensor-parallel-size 1) wins.
  ++ vllm.extraArgs;

  environment = {
    # nvidia-smi numbers GPUs in PCI bus order; CUDA's default order is
    # "fastest first", so without this the indices could name other GPUs.
    CUDA_DEVICE_ORDER = "PCI_BUS_ID";
    CUDA_VISIBLE_DEVICES = concatStringsSep "," (map toString hardware.computeGpus);
    # Weights come from the model store only; never download at switch time.
    HF_HUB_OFFLINE = "1";
    VLLM_NO_USAGE_STATS = "1";
    DO_NOT_TRACK = "1";
  };
}
