/**
 * The one "claimable" rule of the local store, as SQL over `tasks t`: the claim statement,
 * claim-next and the pending counts all use it, and a refusal's reason is the rule's own
 * verdict, so what `claim` refuses, `pending` never counts as runnable.
 *
 * A task is claimable when it is not ignored, is ready (or failed with its backoff elapsed
 * and its retry budget left), and every task it depends on is done. Parameters: @now,
 * @maxRetries (and @agent for AGENT_MATCHES).
 */
import type { RefusalReason } from '../../core/task.js';
import type { Refusal } from '../state-types.js';
import type { TaskRow } from '../tasks/task-rows.js';

/** A dependency of `t` that is not done (or not on the board at all). */
const PENDING_DEP = `SELECT 1 FROM task_deps d LEFT JOIN tasks dep ON dep.id = d.dep_id
   WHERE d.task_id = t.id AND dep.state IS NOT 'done'`;

/** Why `t` cannot be claimed now, in the order a human wants to hear it; NULL: claimable. */
export const REFUSAL = `(CASE
    WHEN t.ignored <> 0 THEN 'ignored'
    WHEN t.state = 'done' THEN 'done'
    WHEN t.state = 'poisoned' THEN 'poisoned'
    WHEN t.state = 'claimed' THEN 'held'
    WHEN t.state = 'failed' AND t.retry_count >= @maxRetries THEN 'poisoned'
    WHEN t.state = 'failed' AND t.next_attempt_at > @now THEN 'backoff'
    WHEN EXISTS (${PENDING_DEP}) THEN 'deps'
  END)`;

/**
 * `t` may be claimed now. The state test repeats what REFUSAL implies only so SQLite can
 * use the tasks_by_state index; the rule itself is REFUSAL.
 */
export const CLAIMABLE = `t.state IN ('ready', 'failed') AND ${REFUSAL} IS NULL`;

/** `t` is work for a daemon serving @agent (null: any agent; a task without agent: anyone). */
export const AGENT_MATCHES = `(@agent IS NULL OR t.agent IS NULL OR t.agent = @agent)`;

/** Ids of the deps of a task that are not done, sorted: what a 'deps' refusal waits on. */
export const PENDING_DEP_IDS = `SELECT d.dep_id AS id FROM task_deps d LEFT JOIN tasks dep ON dep.id = d.dep_id
   WHERE d.task_id = ? AND dep.state IS NOT 'done' ORDER BY d.dep_id`;

/** Puts REFUSAL's verdict on `row` into words (and the holder, wait or deps it names). */
export function describeRefusal(
  reason: RefusalReason,
  row: TaskRow,
  now: number,
  pendingDeps: () => string[],
): Refusal {
  switch (reason) {
    case 'ignored':
      return { reason, detail: `ignored: ${row.ignore_reason ?? 'no reason given'}` };
    case 'done':
      return { reason, detail: 'already completed' };
    case 'poisoned':
      return row.state === 'poisoned'
        ? { reason, detail: `poisoned after ${row.retry_count} failed attempts` }
        : { reason, detail: `retry limit reached (${row.retry_count} failed attempts)` };
    case 'held':
      return { reason, detail: `held by ${row.owner_id} (epoch ${row.epoch})`, holder: row.owner_id! };
    case 'backoff': {
      const waitMs = row.next_attempt_at - now;
      return { reason, detail: `backing off for ${waitMs} ms`, waitMs };
    }
    case 'deps': {
      const waitingOn = pendingDeps();
      return { reason, detail: `waiting on ${waitingOn.join(', ')}`, waitingOn };
    }
    case 'unknown':
      return { reason, detail: `no task ${row.id}` };
  }
}
