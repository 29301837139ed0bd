// The formats `mode debug parse` reads, as zod-free data: the CLI's command
// table imports this on its startup path, where zod must not load.
export const DEBUG_PARSE_SOURCES = [
  'nvidia-smi-xml',
  'nvidia-smi-gpus',
  'nvidia-smi-apps',
  'systemctl-show',
  'loginctl-sessions',
  'loginctl-session',
  'alsa-status',
  'meminfo',
  'lspci',
  'bootctl',
] as const;
