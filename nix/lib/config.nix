# The controller's /etc/dubnium/config.json as a Nix value (builtins only).
# Its shape is schemas/config.ts `Config`, field for field; the golden file
# examples/workstation.config.json is what this returns for hosts/workstation,
# and test/nix checks that from the Nix side while test/project checks the
# same file against the zod schema.
#
# hostName: networking.hostName; dubnium: the values of the dubnium.* options;
# tools: absolute paths of tools not on the units' PATH (module.nix: scontrol
# and squeue from services.slurm.package when dubnium.slurm.enable).
{
  hostName,
  dubnium,
  tools ? { },
}:
let
  inherit (dubnium) hardware vllm thresholds;
  weights = cpuWeight: ioWeight: { inherit cpuWeight ioWeight; };
in
{
  schemaVersion = 1;
  hostname = hostName;
  hardware = {
    inherit (hardware)
      presentGpus
      displayGpu
      computeGpus
      plannedGpuCount
      desktopAiGpus
      ;
  };
  capabilityPlacement = { inherit (dubnium.capabilityPlacement) studio; };
  # vllm.package is a derivation for the unit's ExecStart; the controller
  # only needs to know whether vLLM is part of compute and where it listens.
  vllm = { inherit (vllm) enable model modelStore extraArgs port; };
  k3s = { inherit (dubnium.k3s) enable; };
  boot = { inherit (dubnium.boot) defaultMode; };
  # The names the units in units/ are installed under; the module installs
  # exactly these, so they are not options.
  units = {
    desktopTarget = "desktop.target";
    computeTarget = "compute.target";
    # NixOS aliases the configured display manager to this name.
    displayManager = "display-manager.service";
    vllm = "vllm.service";
    vllmReady = "vllm-ready.service";
    studioOverlay = [ "studio-local-policy.service" "audio-priority.service" ];
    slices = {
      # the slice the graphical session, PipeWire and the studio tools really
      # run in: logind puts every session scope and user@UID.service under
      # user.slice/user-UID.slice, so studio-local weights user.slice
      interactive = "user.slice";
      ai = "ai.slice";
      platform = "platform.slice";
    };
    recoveryCritical = [ "sshd.service" ];
  };
  # systemd's default weight is 100; studio-local raises the interactive
  # slice (user.slice, the desktop's) and lowers the others so audio work wins contention.
  slices = {
    baseline = {
      # user.slice sets no weight (systemd's default 100 applies): null, so
      # going back resets it instead of pinning 100 over the host's own settings
      interactive = weights null null;
      ai = weights 100 100;
      platform = weights 100 100;
    };
    studio = {
      interactive = weights 1000 800;
      ai = weights 20 20;
      platform = weights 50 50;
    };
  };
  audio = {
    processes = [ "reaper" ];
    alsaRoot = "/proc/asound";
  };
  persistencePaths = [ vllm.modelStore ];
  thresholds = {
    inherit (thresholds)
      memoryHeadroomMiB
      gpuResidualMiB
      minModelStoreFreeMiB
      pollIntervalMs
      ;
    stepTimeoutsMs = {
      inherit (thresholds.stepTimeoutsMs)
        observe
        start
        stop
        isolate
        setProperty
        terminateSession
        gpuRelease
        vllmReady
        ;
    };
  };
  notice = { inherit (dubnium.notice) graceSeconds idleAfterSeconds ifUnwarned; };
  # Any other tool is looked up on the unit's PATH, which the module sets.
  inherit tools;
  metrics = { inherit (dubnium.metrics) enable textfileDir; };
  # ipAddressAllow is the units' business (nix/slurm.nix), not the controller's.
  slurm = {
    inherit (dubnium.slurm)
      enable
      nodeName
      computeFeature
      drainWaitSeconds
      commandTimeoutSeconds
      ;
  };
}
