// Small text layout helpers shared by help, status and explain renderers.

/** Wraps `text` to `width` columns, every line prefixed by `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** Two columns: the left padded to a common width, the right wrapped under itself. */
export function columns(rows: readonly (readonly [string, string])[], width = 80, indent = '  '): string[] {
  const left = Math.min(Math.max(0, ...rows.map(([l]) => l.length)) + 2, 28);
  return rows.flatMap(([l, r]) => {
    const pad = indent + l.padEnd(left);
    const wrapped = wrap(r, width, ' '.repeat(indent.length + left));
    const [head = '', ...tail] = wrapped;
    if (l.length + 2 > left) return [indent + l, ...wrapped];
    return [pad + head.trimStart(), ...tail];
  });
}

/** Milliseconds as a person reads them: 850ms, 4.2s, 3m05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
