import type { StoreContext } from '../store-context.js';
import { VERIFY_REVIEWS } from './refuse-verification.js';

/** Keeps automation off a task (creating its row if needed); a running attempt learns it at its heartbeat. */
export function setIgnored(ctx: StoreContext, taskId: string, reason: string, actor?: string): void {
  ctx.transaction(() => {
    const now = ctx.now();
    ctx
      .sql(
        `INSERT INTO tasks (id, ignored, ignore_reason, created_at, updated_at) VALUES (?, 1, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET ignored = 1, ignore_reason = excluded.ignore_reason, updated_at = excluded.updated_at`,
      )
      .run(taskId, reason, now, now);
    ctx.events.append({ type: 'ignored', taskId, ownerId: actor ?? null, data: { reason } });
  });
}

/** Lifts the ignore flag; false if the task was not ignored. */
export function clearIgnored(ctx: StoreContext, taskId: string, actor?: string): boolean {
  return ctx.transaction(() => {
    const changed = ctx
      .sql('UPDATE tasks SET ignored = 0, ignore_reason = NULL, updated_at = ? WHERE id = ? AND ignored = 1')
      .run(ctx.now(), taskId).changes;
    if (changed) ctx.events.append({ type: 'unignored', taskId, ownerId: actor ?? null });
    return changed > 0;
  });
}

/**
 * Makes a failed or poisoned task ready again with a fresh retry budget (and a done one,
 * with `includeDone`). A claimed task is left alone: its owner is still working on it.
 * A fresh budget includes review rounds: the refusals recorded for the task, and for the task
 * it verifies (a verification poisoned at REVIEW_MAX_ROUNDS would otherwise poison again at
 * its very next refusal).
 */
export function reset(
  ctx: StoreContext,
  taskId: string,
  options: { includeDone?: boolean; actor?: string } = {},
): boolean {
  return ctx.transaction(() => {
    const states = options.includeDone ? "('failed', 'poisoned', 'done')" : "('failed', 'poisoned')";
    // A ready task is reset only if it has spent part of its retry budget.
    const changed = ctx
      .sql(
        `UPDATE tasks SET state = 'ready', retry_count = 0, next_attempt_at = 0, updated_at = ?
           WHERE id = ? AND (state IN ${states} OR (state = 'ready' AND retry_count > 0))`,
      )
      .run(ctx.now(), taskId).changes;
    if (changed) {
      ctx
        .sql(
          `DELETE FROM kv WHERE namespace = ? AND (key = ? OR key IN (SELECT dep_id FROM task_deps WHERE task_id = ?))`,
        )
        .run(VERIFY_REVIEWS, taskId, taskId);
      ctx.events.append({ type: 'reset', taskId, ownerId: options.actor ?? null });
    }
    return changed > 0;
  });
}
