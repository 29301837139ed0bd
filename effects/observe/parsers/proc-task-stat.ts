// Parses one /proc/PID/task/TID/stat line (proc(5)) into the thread's
// scheduling. The comm (field 2) is in parentheses and may itself hold
// spaces and parentheses ("(sd-pam)", "(a) b)"), so the fields are counted
// from the LAST ')': after it come field 3 (state) onwards, which makes
// rt_priority (field 40) the 38th and policy (field 41) the 39th of them.
import type { SchedPolicy, ThreadScheduling } from '../../../schemas/facts.ts';
import { failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

/** sched(7)'s numbers; 4 (SCHED_ISO) was reserved and never implemented */
const POLICIES: Record<number, SchedPolicy> = { 0: 'SCHED_OTHER', 1: 'SCHED_FIFO', 2: 'SCHED_RR', 3: 'SCHED_BATCH', 5: 'SCHED_IDLE', 6: 'SCHED_DEADLINE', 7: 'SCHED_EXT' };

/** fields after the comm that rt_priority and policy are at: field numbers 40 and 41 minus the 3 before the first of them */
const RT_PRIORITY_INDEX = 40 - 3;
const POLICY_INDEX = 41 - 3;

export function parseProcTaskStat(text: string): ParseResult<ThreadScheduling> {
  const lines = splitLines(text);
  const line = lines[0] ?? '';
  if (lines.length !== 1) return failAt(lines, null, `expected one line, as /proc/PID/task/TID/stat has, not ${lines.length}`);
  const open = line.indexOf(' (');
  const close = line.lastIndexOf(')');
  const tid = Number(line.slice(0, open));
  if (open <= 0 || close < open || !Number.isInteger(tid) || tid < 1) return failAt(lines, 1, 'expected "TID (comm) state ..." as in /proc/PID/task/TID/stat');
  const after = line.slice(close + 2).split(' ');
  const rtPriority = Number(after[RT_PRIORITY_INDEX]);
  const policyNumber = Number(after[POLICY_INDEX]);
  if (after[POLICY_INDEX] === undefined || !Number.isInteger(rtPriority) || !Number.isInteger(policyNumber)) {
    return failAt(lines, 1, `only ${after.length + 2} fields; rt_priority and policy are fields 40 and 41 (Linux 2.5.19 and later)`);
  }
  const policy = POLICIES[policyNumber];
  if (policy === undefined) return failAt(lines, 1, `policy (field 41) is ${policyNumber}, which is no scheduling policy sched(7) knows`);
  if (rtPriority < 0 || rtPriority > 99) return failAt(lines, 1, `rt_priority (field 40) is ${rtPriority}, outside 0..99`);
  return parseOk({ tid, name: line.slice(open + 2, close), policy, rtPriority });
}
