/**
 * Hand claims: a person (or the agent session they drive) holds a task, through the same claim
 * statement as a daemon, with a lease instead of a process. The claim records no pid — the CLI
 * that made it exits at once — and a lease deadline on this host's clock: it is live while its
 * heartbeat is younger than the stale threshold and the lease has not run out (liveness.ts).
 * `hold` heartbeats without moving the deadline; `renew` restarts it (renewLease, both).
 */
import type { ClaimProof, ClaimResult, LostClaim, RenewResult } from '../state-types.js';
import { readRow, type StoreContext } from '../store-context.js';
import { SELECT_TASK, type TaskRow, type TaskView, toView } from '../tasks/task-rows.js';
import { claim } from './claim.js';
import { AGENT_MATCHES, CLAIMABLE } from './claimable.js';
import { holds, lostClaim } from './lost-claim.js';

/** Who claims by hand: a person's owner id and the host they run the CLI on. */
export interface HandOwner {
  id: string;
  host: string;
}

/** Claims `taskId` by hand for `leaseMs`; a stale holder is taken over as by any claim. */
export function claimByHand(
  ctx: StoreContext,
  taskId: string,
  owner: HandOwner,
  leaseMs: number,
): ClaimResult {
  // The pid is never recorded for a hand claim (see ClaimOptions.leaseMs).
  return claim(ctx, taskId, { id: owner.id, host: owner.host, pid: 0, pidStart: null }, { leaseMs });
}

/**
 * The best claimable task of `source` for `agent` — the order claim-next and the daemon use
 * (priority, then age) — or null. Read only: `next` without `--claim`.
 */
export function peekNext(ctx: StoreContext, agent: string | null, source = 'local'): TaskView | null {
  const row = ctx
    .sql(
      `${SELECT_TASK} WHERE tasks.rowid = (SELECT t.rowid FROM tasks t
         WHERE t.source = @source AND ${AGENT_MATCHES} AND ${CLAIMABLE}
         ORDER BY t.priority DESC, t.created_at, t.rowid LIMIT 1)`,
    )
    .get({ source, agent, now: ctx.now(), maxRetries: ctx.policy.maxRetries }) as TaskRow | undefined;
  return row ? toView(row) : null;
}

/** Picks the best task (as peekNext) and claims it by hand, in one transaction; null: none. */
export function claimNextByHand(
  ctx: StoreContext,
  owner: HandOwner,
  agent: string | null,
  leaseMs: number,
  source = 'local',
): { result: Extract<ClaimResult, { ok: true }>; task: TaskView } | null {
  return ctx.transaction(() => {
    const next = peekNext(ctx, agent, source);
    if (!next) return null;
    const result = claimByHand(ctx, next.id, owner, leaseMs);
    if (!result.ok) return null; // cannot happen inside this transaction; never claim blindly
    return { result, task: toView(readRow(ctx, next.id)!) };
  });
}

/**
 * Heartbeats a hand claim (`hold`), and restarts its lease when `lease` says so (`renew`: its
 * own length, or a new one). Owner and epoch are checked, and the lease must still run: a
 * lapsed claim is not revived, even before a sweep noticed (another observer may have).
 */
export function renewLease(
  ctx: StoreContext,
  proof: ClaimProof,
  lease: { ms: number | null } | null,
): RenewResult {
  return ctx.transaction(() => {
    const now = ctx.now();
    const restart = lease !== null ? 1 : 0;
    const row = ctx
      .sql(
        `UPDATE tasks SET heartbeat_at = @now, updated_at = @now,
             lease_ms = iif(@restart, coalesce(@leaseMs, lease_ms), lease_ms),
             lease_until = iif(@restart, @now + coalesce(@leaseMs, lease_ms), lease_until)
           WHERE id = @taskId AND state = 'claimed' AND owner_id = @ownerId AND epoch = @epoch
             AND lease_ms IS NOT NULL AND lease_until > @now
           RETURNING ignored, lease_until`,
      )
      .get({ ...proof, now, restart, leaseMs: lease?.ms ?? null }) as
      | { ignored: number; lease_until: number }
      | undefined;
    if (!row) return { ok: false, ...lostHand(readRow(ctx, proof.taskId), proof, now) };
    if (restart) {
      ctx.events.append({
        type: 'renewed',
        taskId: proof.taskId,
        ownerId: proof.ownerId,
        epoch: proof.epoch,
        data: { hand: true, until: row.lease_until },
      });
    }
    return { ok: true, ignored: row.ignored === 1 };
  });
}

/** Why a hand claim's write was refused: as lostClaim says, or its lease ran out. */
function lostHand(row: TaskRow | undefined, proof: ClaimProof, now: number): LostClaim {
  if (row && holds(row, proof)) {
    return row.lease_until !== null && row.lease_until <= now
      ? { cause: 'lease-expired', reason: `the lease ran out at ${new Date(row.lease_until).toISOString()}` }
      : { cause: 'wrong-owner', reason: `the claim at epoch ${row.epoch} is no hand claim` };
  }
  return lostClaim(row, proof);
}

/** The claims `ownerId` holds now, oldest first: what `mine` lists. */
export function heldBy(ctx: StoreContext, ownerId: string): TaskView[] {
  const rows = ctx
    .sql(`${SELECT_TASK} WHERE state = 'claimed' AND owner_id = ? ORDER BY claimed_at, rowid`)
    .all(ownerId) as TaskRow[];
  return rows.map(toView);
}
