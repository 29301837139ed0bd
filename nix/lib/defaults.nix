# Default values of every dubnium.* option, as plain data (builtins only).
# module.nix takes its option defaults from here and nix/tests merges host
# settings over the same values, so the tests check what the module declares.
{
  hardware = {
    presentGpus = [ 0 ];
    displayGpu = 0;
    computeGpus = [ 0 ];
    plannedGpuCount = 1;
    desktopAiGpus = [ ];
  };
  capabilityPlacement.studio = "local";
  vllm = {
    enable = false;
    package = null;
    model = null;
    extraArgs = [ ];
    port = 8000;
    # Weights are tens of GiB: they live on disk, never in the Nix store.
    modelStore = "/var/lib/dubnium/models";
  };
  k3s.enable = false;
  # Prometheus metrics for a lab: dubnium.prom for node_exporter's textfile collector.
  metrics = {
    enable = false;
    textfileDir = "/var/lib/prometheus-node-exporter/text";
  };
  # Slurm follows the mode (nix/slurm.nix); off unless this host is a Slurm node.
  slurm = {
    enable = false;
    nodeName = null;
    computeFeature = null;
    drainWaitSeconds = 600;
    commandTimeoutSeconds = 10;
    ipAddressAllow = [ "any" ];
  };
  boot.defaultMode = "desktop";
  enableDesktopProfile = false;
  # Before a switch ends a graphical session someone is using: warn them and wait.
  notice = {
    graceSeconds = 60;
    idleAfterSeconds = 300;
    ifUnwarned = "wait";
  };
  thresholds = {
    memoryHeadroomMiB = 8192;
    gpuResidualMiB = 512;
    minModelStoreFreeMiB = 1024;
    pollIntervalMs = 500;
    stepTimeoutsMs = {
      observe = 15000;
      start = 90000;
      stop = 90000;
      isolate = 120000;
      setProperty = 10000;
      terminateSession = 30000;
      gpuRelease = 60000;
      # Loading a 14B model and compiling CUDA graphs takes minutes.
      vllmReady = 900000;
    };
  };
}
