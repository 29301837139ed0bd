// Defence in depth: an action is checked against the schema's allowlists
// (unit names without globs, escapes or a leading "-"; session ids of plain
// characters; weights 1..10000) right before it becomes argv, whatever
// validated it earlier.
import type { MutatingAction } from '../../machines/host.ts';
import { Action } from '../../schemas/records.ts';

const WEIGHT_MIN = 1;
const WEIGHT_MAX = 10_000;

export function actionProblem(action: MutatingAction): string | null {
  const parsed = Action.safeParse(action);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `refused to run ${JSON.stringify(action)}: ${issue.path.join('.') || 'action'} ${issue.message}`;
  }
  if (action.kind === 'set-property') {
    for (const [name, weight] of Object.entries(action.weights)) {
      if (weight !== null && (weight < WEIGHT_MIN || weight > WEIGHT_MAX)) {
        return `refused to set ${name}=${weight} on ${action.unit}: systemd accepts weights from ${WEIGHT_MIN} to ${WEIGHT_MAX} (null restores "not set")`;
      }
    }
  }
  return null;
}
