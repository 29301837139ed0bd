// Reads the text of `systemd-analyze security --offline=true FILE`: the
// overall exposure and every check that failed (✗), with the directives the
// check names, so a test can ask for a "why" comment on each of them.
export interface FailedCheck {
  /** directive names of the check, without "=" or a "~value" suffix: "User=/DynamicUser=" → ["User", "DynamicUser"] */
  directives: string[];
  description: string;
  exposure: number | null;
}

export interface SecurityReport {
  unit: string;
  exposure: number;
  verdict: string;
  failed: FailedCheck[];
}

const OVERALL = /Overall exposure level for (\S+): (\d+(?:\.\d+)?) (\S+)/;
// on a terminal a failed check starts with ✗; piped, with "-" (a passed one with ✓ or "+")
const FAILED = /^(?:✗|-) (\S+)\s{2,}(.*?)(?:\s{2,}(\d+(?:\.\d+)?))?\s*$/;

export function parseSecurityReport(text: string): SecurityReport | { error: string } {
  const overall = OVERALL.exec(text);
  if (!overall?.[1] || !overall[2] || !overall[3]) {
    return { error: `no "Overall exposure level" line in the output:\n${text.slice(0, 2000)}` };
  }
  const failed = text.split('\n').flatMap((line): FailedCheck[] => {
    const match = FAILED.exec(line);
    if (!match?.[1]) return [];
    const directives = match[1]
      .split('/')
      .map((d) => d.replace(/=.*$/, ''))
      .filter((d) => d !== '');
    return [{ directives, description: match[2] ?? '', exposure: match[3] ? Number(match[3]) : null }];
  });
  return { unit: overall[1], exposure: Number(overall[2]), verdict: overall[3], failed };
}
