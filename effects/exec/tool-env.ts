// The environment every external tool runs with: C locale (so numbers, words
// and column headers are the ones the parsers expect; pactl even writes
// `0,00` into its JSON under a French LC_NUMERIC), no colours, no pager.
export const FORCED_TOOL_ENV = {
  LC_ALL: 'C',
  SYSTEMD_COLORS: '0',
  SYSTEMD_PAGER: '',
  NO_COLOR: '1',
  PAGER: 'cat',
} as const;

export function toolEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...FORCED_TOOL_ENV };
}
