import type { OwnerIdentity } from '../../core/task.js';
import type { OwnerRegistry } from '../owners.js';
import type { ClaimProof, RenewResult } from '../state-types.js';
import { readRow, type StoreContext } from '../store-context.js';
import { holds, lostClaim } from './lost-claim.js';

/**
 * Renews every claim this owner process holds, and its registration, in one statement each:
 * the cost of liveness does not grow with the number of running tasks.
 * Returns the ids of the claims renewed.
 */
export function heartbeat(ctx: StoreContext, owners: OwnerRegistry, owner: OwnerIdentity): string[] {
  return ctx.transaction(() => {
    const now = ctx.now();
    owners.touch(owner, now);
    const rows = ctx
      .sql(
        `UPDATE tasks SET heartbeat_at = @now, updated_at = @now
           WHERE state = 'claimed' AND owner_id = @id AND owner_host = @host AND owner_pid = @pid
           RETURNING id`,
      )
      .all({ id: owner.id, host: owner.host, pid: owner.pid, now }) as { id: string }[];
    return rows.map((r) => r.id);
  });
}

/**
 * Renews one claim's lease, checking owner and epoch. No board uses it yet (their daemons
 * heartbeat per owner); hand claims — a human or a script holding one task — will need it.
 */
export function renew(ctx: StoreContext, proof: ClaimProof): RenewResult {
  return ctx.transaction(() => {
    const now = ctx.now();
    const row = ctx
      .sql(
        `UPDATE tasks SET heartbeat_at = @now, updated_at = @now
           WHERE id = @taskId AND state = 'claimed' AND owner_id = @ownerId AND epoch = @epoch
           RETURNING ignored`,
      )
      .get({ ...proof, now }) as { ignored: number } | undefined;
    if (!row) return { ok: false, ...lostClaim(readRow(ctx, proof.taskId), proof) };
    ctx.events.append({ type: 'renewed', taskId: proof.taskId, ownerId: proof.ownerId, epoch: proof.epoch });
    return { ok: true, ignored: row.ignored === 1 };
  });
}

/** Records that the attempt started (an audit event); false if the claim is no longer ours. */
export function recordStart(ctx: StoreContext, proof: ClaimProof): boolean {
  return ctx.transaction(() => {
    const row = readRow(ctx, proof.taskId);
    if (!holds(row, proof)) return false;
    ctx.events.append({ type: 'started', taskId: proof.taskId, ownerId: proof.ownerId, epoch: row.epoch });
    return true;
  });
}

/** Remembers the attempt's process group leader, so a sweep can stop it if its daemon dies. */
export function recordProcess(
  ctx: StoreContext,
  proof: ClaimProof,
  pid: number,
  pidStart: number | null,
): void {
  ctx
    .sql(
      `UPDATE tasks SET exec_pid = ?, exec_pid_start = ?
       WHERE id = ? AND state = 'claimed' AND owner_id = ? AND epoch = ?`,
    )
    .run(pid, pidStart, proof.taskId, proof.ownerId, proof.epoch);
}
