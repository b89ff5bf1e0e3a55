import type { ClaimTicket, OwnerIdentity, RefusalReason } from '../../core/task.js';
import type { ClaimResult, Refusal } from '../state-types.js';
import { readRow, type StoreContext } from '../store-context.js';
import { type TaskView, toView } from '../tasks/task-rows.js';
import { AGENT_MATCHES, CLAIMABLE, describeRefusal, PENDING_DEP_IDS, REFUSAL } from './claimable.js';
import { staleCause } from './liveness.js';
import { expire } from './sweep.js';

export interface ClaimOptions {
  /** Insert the task first if the store does not know it (a board not seeded from a file). */
  create?: boolean;
  source?: string;
  /**
   * A hand claim (hand.ts): held for this long at most, on this host's clock, with no pid —
   * the CLI that claims exits at once. Absent: a daemon's claim, live by pid and heartbeat.
   */
  leaseMs?: number;
}

/**
 * Claims a task for `owner`. Succeeds only for a claimable task (see claimable.ts); a claim
 * whose owner is stale is expired first, so a dead or silent owner is taken over here.
 */
export function claim(
  ctx: StoreContext,
  taskId: string,
  owner: OwnerIdentity,
  options: ClaimOptions = {},
): ClaimResult {
  return ctx.transaction(() => {
    const now = ctx.now();
    let row = readRow(ctx, taskId);
    if (!row) {
      if (!options.create) return { ok: false, reason: 'unknown', detail: `no task ${taskId}` };
      ctx
        .sql('INSERT INTO tasks (id, source, created_at, updated_at) VALUES (?, ?, ?, ?)')
        .run(taskId, options.source ?? 'local', now, now);
      row = readRow(ctx, taskId)!;
    }
    let tookOverFrom: string | null = null;
    const cause = row.state === 'claimed' ? staleCause(ctx, row, now) : null;
    if (cause) {
      tookOverFrom = row.owner_id;
      expire(ctx, row, cause, now);
    }
    const claimed = ctx
      .sql(
        `UPDATE tasks AS t SET state = 'claimed', owner_id = @ownerId, owner_host = @host,
             owner_pid = iif(@leaseMs IS NULL, @pid, NULL), owner_pid_start = iif(@leaseMs IS NULL, @pidStart, NULL), epoch = epoch + 1, attempt = retry_count + 1,
             claimed_at = @now, heartbeat_at = @now, released_at = NULL, updated_at = @now,
             exec_pid = NULL, exec_pid_start = NULL, lease_ms = @leaseMs, lease_until = @now + @leaseMs
           WHERE t.id = @taskId AND ${CLAIMABLE}
           RETURNING epoch, attempt, claimed_at`,
      )
      .get({
        taskId,
        ownerId: owner.id,
        host: owner.host,
        pid: owner.pid,
        pidStart: owner.pidStart,
        now,
        maxRetries: ctx.policy.maxRetries,
        leaseMs: options.leaseMs ?? null,
      }) as { epoch: number; attempt: number; claimed_at: number } | undefined;

    if (!claimed) {
      const refusal = refusalOf(ctx, taskId, now);
      if (refusal.reason === 'held') {
        ctx.events.append({
          type: 'conflict',
          taskId,
          ownerId: owner.id,
          data: { holder: refusal.holder, detail: refusal.detail },
        });
      }
      return { ok: false, ...refusal };
    }
    const ticket: ClaimTicket = {
      taskId,
      ownerId: owner.id,
      epoch: claimed.epoch,
      attempt: claimed.attempt,
      claimedAt: claimed.claimed_at,
    };
    ctx.events.append({
      type: 'claimed',
      taskId,
      ownerId: owner.id,
      epoch: ticket.epoch,
      data: {
        attempt: ticket.attempt,
        ...(tookOverFrom ? { tookOverFrom } : {}),
        ...(options.leaseMs !== undefined ? { hand: true, leaseMs: options.leaseMs } : {}),
      },
    });
    return { ok: true, ticket, tookOverFrom };
  });
}

/**
 * Records an authority's grant of a claim this store gated (on GitHub: the ledger's epoch and
 * retry count), so the local claim and the authority's are one and every later write quotes the
 * grant's epoch. The store decides nothing here; it records. Null if the gate claim is no
 * longer `gate`'s.
 */
export function recordGrant(
  ctx: StoreContext,
  gate: ClaimTicket,
  grant: { epoch: number; retryCount: number },
): ClaimTicket | null {
  return ctx.transaction(() => {
    const row = ctx
      .sql(
        `UPDATE tasks SET epoch = @epoch, retry_count = @retryCount, attempt = @retryCount + 1,
             updated_at = @now
           WHERE id = @taskId AND state = 'claimed' AND owner_id = @ownerId AND epoch = @gateEpoch
           RETURNING attempt`,
      )
      .get({ ...grant, taskId: gate.taskId, ownerId: gate.ownerId, gateEpoch: gate.epoch, now: ctx.now() }) as
      | { attempt: number }
      | undefined;
    if (!row) return null;
    ctx.events.append({
      type: 'granted',
      taskId: gate.taskId,
      ownerId: gate.ownerId,
      epoch: grant.epoch,
      data: { gateEpoch: gate.epoch, attempt: row.attempt, retryCount: grant.retryCount },
    });
    return { ...gate, epoch: grant.epoch, attempt: row.attempt };
  });
}

/** A claim-next win: the ticket, and the task as it was claimed. */
export type ClaimedNext = Extract<ClaimResult, { ok: true }> & { task: TaskView };

/**
 * Picks the best claimable task of `source` for `agent` (priority, then age, then insertion
 * order) and claims it, in one IMMEDIATE transaction; null when there is none. Claims that
 * stale owners hold are not taken here: a sweep puts them back first.
 */
export function claimNext(
  ctx: StoreContext,
  owner: OwnerIdentity,
  agent: string | null,
  source = 'local',
): ClaimedNext | null {
  return ctx.transaction(() => {
    const id = ctx
      .sql(
        `SELECT t.id FROM tasks t WHERE t.source = @source AND ${AGENT_MATCHES} AND ${CLAIMABLE}
         ORDER BY t.priority DESC, t.created_at, t.rowid LIMIT 1`,
      )
      .pluck()
      .get({ source, agent, now: ctx.now(), maxRetries: ctx.policy.maxRetries }) as string | undefined;
    if (id === undefined) return null;
    const result = claim(ctx, id, owner);
    if (!result.ok) return null; // cannot happen inside this transaction, but never claim blindly
    return { ...result, task: toView(readRow(ctx, id)!) };
  });
}

/** Why the task cannot be claimed now, as the claimable rule itself says. */
function refusalOf(ctx: StoreContext, taskId: string, now: number): Refusal {
  const row = readRow(ctx, taskId)!;
  const reason = ctx
    .sql(`SELECT ${REFUSAL} FROM tasks t WHERE t.id = @taskId`)
    .pluck()
    .get({ taskId, now, maxRetries: ctx.policy.maxRetries }) as RefusalReason | null;
  if (reason === null) return { reason: 'unknown', detail: 'not claimable' };
  return describeRefusal(reason, row, now, () => pendingDeps(ctx, taskId));
}

/** The deps of a task that are not done yet, sorted. */
function pendingDeps(ctx: StoreContext, taskId: string): string[] {
  return (ctx.sql(PENDING_DEP_IDS).all(taskId) as { id: string }[]).map((r) => r.id);
}
