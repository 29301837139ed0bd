// The managers that touch knobs Dubnium also touches, with the severity of
// each collision and the reason for it. The unit names are the ones their
// packages ship (and NixOS's modules keep). Dubnium itself sets no CPU
// governor, energy-performance preference or platform profile: what it
// touches is the slices and their weights, the display manager, the GPUs
// (their holders, vLLM on them) and the units of each mode (compute.target's
// isolate stops every unit it does not pull in).
//
// Severity, by how the rival collides:
// - fail: it can take the GPU from under a mode or end the graphical session
//   itself (unbind or unload the NVIDIA driver, restart the display manager):
//   a run's proof is void the moment it acts, and its mode switch races ours.
// - warn: it changes performance knobs a mode depends on (CPU governors and
//   EPP, a GPU's clocks or power limit, process priorities in the session's
//   slice) without owning anything a transition stops, starts or proves.
// A rival whose unit file names one of Dubnium's units in Conflicts= fails
// whatever its row says (rival-checks.ts): starting it stops a mode's unit.

export type RivalSeverity = 'warn' | 'fail';

export interface RivalConfigFile {
  path: string;
  /** the setting lines worth naming (matched against each line that is not a comment) */
  keys: RegExp;
}

export interface Rival {
  /** the packaged unit */
  unit: string;
  /** gamemoded runs under each user's manager, not PID 1 */
  manager: 'system' | 'user';
  name: string;
  severity: RivalSeverity;
  /** what it touches that Dubnium also touches, or what a mode depends on */
  touches: string;
  configFiles: readonly RivalConfigFile[];
}

export const RIVALS: readonly Rival[] = [
  {
    unit: 'tuned.service',
    manager: 'system',
    name: 'TuneD',
    severity: 'warn',
    // its scheduler plugin renices and re-pins processes by name, the session's
    // audio among them, which the studio-local overlay means to favour
    touches: 'CPU governor and EPP, sysctls, IRQ affinity, and (scheduler plugin) the priority and CPU affinity of processes in the session slice whose weights studio-local raises',
    configFiles: [
      { path: '/etc/tuned/active_profile', keys: /\S/ },
      { path: '/etc/tuned/profile_mode', keys: /\S/ },
    ],
  },
  {
    unit: 'power-profiles-daemon.service',
    manager: 'system',
    name: 'power-profiles-daemon',
    severity: 'warn',
    touches: 'the platform profile, CPU EPP and governor (power-saver slows vLLM and the studio tools alike)',
    configFiles: [{ path: '/var/lib/power-profiles-daemon/state.ini', keys: /^Profile=/ }],
  },
  {
    unit: 'tlp.service',
    manager: 'system',
    name: 'TLP',
    severity: 'warn',
    // runtime PM of PCI devices covers the NVIDIA GPU unless denylisted
    touches: 'CPU governor and EPP, and runtime power management of PCI devices, the NVIDIA GPUs among them',
    configFiles: [{ path: '/etc/tlp.conf', keys: /^(TLP_ENABLE|TLP_DEFAULT_MODE|CPU_SCALING_GOVERNOR_\w+|CPU_ENERGY_PERF_POLICY_\w+|PLATFORM_PROFILE_\w+|RUNTIME_PM_\w+|PCIE_ASPM_\w+)=/ }],
  },
  {
    unit: 'gamemoded.service',
    manager: 'user',
    name: 'GameMode',
    severity: 'warn',
    // with apply_gpu_optimisations=accept-responsibility it also sets the NVIDIA
    // PowerMizer mode and clock offsets of gpu_device; it never unbinds a driver
    touches: 'CPU governor, the nice level and I/O priority of processes in the session slice, and (apply_gpu_optimisations) the clocks and PowerMizer mode of one GPU',
    configFiles: [{ path: '/etc/gamemode.ini', keys: /^(desiredgov|defaultgov|renice|ioprio|softrealtime|apply_gpu_optimisations|gpu_device|nv_powermizer_mode|nv_core_clock_mhz_offset|nv_mem_clock_mhz_offset)\s*=/ }],
  },
  {
    unit: 'supergfxd.service',
    manager: 'system',
    name: 'supergfxd',
    severity: 'fail',
    // Integrated and Vfio modes remove the dGPU from the PCI bus or bind it to
    // vfio-pci after unloading nvidia_drm, nvidia_modeset, nvidia_uvm and nvidia
    touches: 'the GPU: it unloads the NVIDIA modules and unbinds or removes the dGPU (integrated, vfio modes), ordered before display-manager.service, and its mode changes need the session ended',
    configFiles: [{ path: '/etc/supergfxd.conf', keys: /"(mode|vfio_enable|vfio_save|always_reboot|no_logind|logout_timeout_s|hotplug_type)"\s*:/ }],
  },
  {
    unit: 'system76-power.service',
    manager: 'system',
    name: 'system76-power',
    severity: 'fail',
    // `system76-power graphics integrated|nvidia|hybrid|compute` rewrites the
    // module options and blacklist of the NVIDIA driver for the next boot
    touches: 'the GPU (its graphics modes, a "compute" mode among them, blacklist or load the NVIDIA driver through modprobe.d) and the CPU governor and power profile',
    configFiles: [{ path: '/etc/modprobe.d/system76-power.conf', keys: /\S/ }],
  },
  {
    unit: 'optimus-manager.service',
    manager: 'system',
    name: 'optimus-manager',
    severity: 'fail',
    touches: 'the display manager and the GPU: a switch stops the display manager, unloads or loads the NVIDIA modules, rewrites the Xorg configuration and starts the display manager again',
    configFiles: [{ path: '/etc/optimus-manager/optimus-manager.conf', keys: /^(startup_mode|startup_auto_battery_mode|startup_auto_extpower_mode|switching|pci_power_control|pci_remove|pci_reset|auto_logout)\s*=/ }],
  },
  {
    unit: 'nvidia-powerd.service',
    manager: 'system',
    name: 'nvidia-powerd',
    severity: 'warn',
    // Dynamic Boost moves the power budget between CPU and GPU; it changes what
    // the compute GPU may draw, not who holds it
    touches: "the GPU's power limit (Dynamic Boost shifts power between CPU and GPU under load), so vLLM's throughput in compute varies with the CPU's load",
    configFiles: [],
  },
  {
    unit: 'auto-cpufreq.service',
    manager: 'system',
    name: 'auto-cpufreq',
    severity: 'warn',
    touches: 'CPU governor, turbo and EPP (switched by load and power source)',
    configFiles: [{ path: '/etc/auto-cpufreq.conf', keys: /^(governor|turbo|energy_performance_preference|platform_profile|scaling_min_freq|scaling_max_freq)\s*=/ }],
  },
];

/**
 * The units whose stop or start is a transition's work: a rival's Conflicts= on
 * one of them stops a mode's unit when the rival starts (and the reverse).
 */
export function isDubniumUnit(unit: string, configured: readonly string[]): boolean {
  return configured.includes(unit) || unit === 'graphical.target' || /^(mode-controller|dubnium-audio-state)@.*\.service$/.test(unit) || unit === 'mode-boot.service';
}
