# The v1 workstation: nixosConfigurations.workstation (`.#workstation`).
# Review it before the first switch (plan 1.2); the dubnium block must state
# real, installed hardware. Planned hardware goes only in plannedGpuCount.
{ config, pkgs, ... }:
{
  imports = [ ./hardware-configuration.nix ];

  networking.hostName = "dubnium-workstation";

  # This host is built from a flake (`nixos-rebuild switch --flake .#workstation`).
  nix.settings.experimental-features = [
    "nix-command"
    "flakes"
  ];

  # systemd-boot with access to the EFI variables (plan: bootloader assumption).
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  # Recovery access that survives every mode (plan 0.2); sshd.service is in
  # the controller's recoveryCritical list.
  services.openssh.enable = true;

  # The NVIDIA driver is unfree; vLLM needs the CUDA build of PyTorch.
  nixpkgs.config = {
    allowUnfree = true;
    cudaSupport = true;
  };
  services.xserver.videoDrivers = [ "nvidia" ];
  hardware.graphics.enable = true;
  hardware.nvidia = {
    modesetting.enable = true;
    # The open kernel module needs a Turing (RTX 20xx) or newer GPU; set
    # false for older cards (check `lspci -nn | grep -E 'VGA|3D'`).
    open = true;
    package = config.boot.kernelPackages.nvidiaPackages.stable;
  };

  # Desktop mode's graphical session; display-manager.service is what the
  # controller stops for compute and expects back for desktop.
  services.displayManager.sddm.enable = true;
  # nixpkgs' SDDM module asserts services.xserver.enable or
  # sddm.wayland.enable. Plasma 6 sets the latter only as a default (since
  # nixpkgs 25.05); stated here, the host evaluates with any nixpkgs, and the
  # greeter runs on Wayland like the Plasma session (no X server to start).
  services.displayManager.sddm.wayland.enable = true;
  services.desktopManager.plasma6.enable = true;

  # Studio-local: low-latency audio for REAPER.
  security.rtkit.enable = true;
  services.pipewire = {
    enable = true;
    alsa.enable = true;
    pulse.enable = true;
    jack.enable = true;
  };

  # The operator's account comes from this machine's previous configuration;
  # membership in modectl lets it run `mode request <mode>` without sudo:
  #   users.users.<name>.extraGroups = [ "wheel" "modectl" ];

  dubnium = {
    hardware = {
      presentGpus = [ 0 ];
      displayGpu = 0;
      computeGpus = [ 0 ];
      plannedGpuCount = 2;
      desktopAiGpus = [ ];
    };
    capabilityPlacement.studio = "local";
    vllm = {
      enable = true;
      package = pkgs.vllm;
      # The 4-bit AWQ variant: the bf16 Qwen/Qwen2.5-Coder-14B-Instruct is 14.77e9
      # parameters × 2 B = 27.51 GiB of weights alone, more than the one 24 GB card
      # (GPU 0, 24564 MiB in nvidia-smi) holds. The model-does-not-fit guard checks this
      # arithmetic on the seeded files before compute ends the session (docs/engine.md):
      #   weights: 48 layers × 275.3e6 linear params × 0.5 B + group scales/zeros
      #            + embed_tokens and lm_head (152064 × 5120 each, fp16)  ≈ 9.97e9 B = 9.29 GiB
      #   KV cache: 32768 tokens × 48 layers × 8 KV heads × 128 head dim
      #             × 2 (K and V) × 2 B (fp16)                            = 6.00 GiB
      #   needed 15.29 GiB ≤ 24564 MiB × 0.90 = 21.59 GiB, leaving ~6 GiB for vLLM's
      #   activations and CUDA graphs.
      # Both limits are written out so a change to either shows in review; if VRAM is
      # tight (plan 0.4), lower --max-model-len first (8192 tokens = 1.5 GiB of KV).
      model = "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ";
      extraArgs = [
        "--max-model-len"
        "32768"
        "--gpu-memory-utilization"
        "0.90"
      ];
    };
    k3s.enable = false;
    boot.defaultMode = "desktop";
    enableDesktopProfile = false;
  };

  # The NixOS release this machine was first installed with; keep the value
  # from its previous configuration.nix (it is not the nixpkgs version).
  system.stateVersion = "25.11";
}
