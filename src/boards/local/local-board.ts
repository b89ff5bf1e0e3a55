import type { TaskPayload } from '../../core/payload.js';
import type { OwnerIdentity, ReleaseOutcome } from '../../core/task.js';
import type {
  ActiveClaim,
  Board,
  BoardRelease,
  ClaimOptions,
  HeartbeatReport,
  PendingWork,
} from '../../daemon/board.js';
import { processStartTicks } from '../../state/process-liveness.js';
import type { SharedState } from '../../state/shared-state.js';
import type { TaskView } from '../../state/task-rows.js';
import { sweepStaleClaims } from '../orphan-reaper.js';
import { LocalSteering } from './local-steering.js';
import { pendingWork } from './pending.js';

export interface LocalBoardOptions {
  now: () => number;
  /** The daemon this board is opened for. */
  owner: OwnerIdentity;
  /** Only tasks for this capability (null: any). */
  agent: string | null;
}

/**
 * The embedded local board: tasks seeded from YAML into the shared-state database. The
 * state manager is the authority, so leases, retries, poison and events are the same as
 * the local view on GitHub; claimNext picks and claims in one IMMEDIATE transaction.
 */
export class LocalBoard implements Board {
  readonly name = 'local';
  readonly steering: LocalSteering;

  constructor(
    private readonly state: SharedState,
    private readonly options: LocalBoardOptions,
  ) {
    this.steering = new LocalSteering(state);
  }

  async register(): Promise<void> {
    this.state.owners.register(this.options.owner, null);
  }

  async unregister(): Promise<void> {
    this.state.owners.unregister(this.options.owner);
  }

  async refresh(signal?: AbortSignal): Promise<string[]> {
    // A dead daemon's attempts still running here are stopped before their claims expire.
    return (await sweepStaleClaims(this.state, signal)).map((s) => s.taskId);
  }

  async claimNext({ purpose, signal }: ClaimOptions): Promise<ActiveClaim | null> {
    // Lost work on one machine is swept back into the queue at once (dead pid) or after the
    // threshold: it needs no slot of its own.
    if (purpose === 'recovery' || signal.aborted) return null;
    const { owner, agent } = this.options;
    return this.state.transaction(() => {
      const id = this.state.db
        .prepare(
          `SELECT id FROM tasks t
           WHERE source = 'local' AND ignored = 0
             AND (state = 'ready' OR (state = 'failed' AND next_attempt_at <= @now AND retry_count < @max))
             AND (@agent IS NULL OR agent IS NULL OR agent = @agent)
             AND NOT EXISTS (SELECT 1 FROM task_deps d LEFT JOIN tasks dep ON dep.id = d.dep_id
                             WHERE d.task_id = t.id AND dep.state IS NOT 'done')
           ORDER BY priority DESC, created_at, rowid LIMIT 1`,
        )
        .pluck()
        .get({ now: this.options.now(), agent, max: this.state.maxRetries }) as string | undefined;
      if (id === undefined) return null;
      const result = this.state.claim(id, owner);
      if (!result.ok) return null; // cannot happen inside this transaction, but never claim blindly
      const view = this.state.get(id)!;
      return { task: toBoardTask(view), ticket: result.ticket, tookOverFrom: result.tookOverFrom };
    });
  }

  async started(claim: ActiveClaim): Promise<void> {
    this.state.recordStart(claim.ticket);
  }

  spawned(claim: ActiveClaim, pid: number): void {
    this.state.recordProcess(claim.ticket, pid, processStartTicks(pid));
  }

  async heartbeat(claims: readonly ActiveClaim[]): Promise<HeartbeatReport> {
    const { owner } = this.options;
    const renewed = new Set(this.state.heartbeat(owner));
    const report: HeartbeatReport = { lost: [], ignored: [] };
    for (const claim of claims) {
      const view = this.state.get(claim.task.id);
      if (!renewed.has(claim.task.id) || view?.epoch !== claim.ticket.epoch) {
        const reason = 'the claim is no longer ours (swept or taken over)';
        report.lost.push({ taskId: claim.task.id, reason });
        this.state.events.append({
          type: 'claim-lost',
          taskId: claim.task.id,
          ownerId: owner.id,
          epoch: claim.ticket.epoch,
          data: { reason },
        });
      } else if (view.ignored) {
        report.ignored.push({ taskId: claim.task.id, reason: view.ignoreReason ?? 'ignored' });
      }
    }
    return report;
  }

  async release(
    claim: ActiveClaim,
    outcome: ReleaseOutcome,
    detail: { error?: string },
    signal: AbortSignal,
  ): Promise<BoardRelease> {
    // One local transaction: nothing to abort once it starts, and nothing written if aborted.
    signal.throwIfAborted();
    return this.state.release(claim.ticket, outcome, detail);
  }

  async pending(): Promise<PendingWork> {
    return pendingWork(this.state.list({ source: 'local' }), {
      agent: this.options.agent,
      now: this.options.now(),
      maxRetries: this.state.maxRetries,
    });
  }

  async close(): Promise<void> {}
}

export function toBoardTask(view: TaskView): ActiveClaim['task'] {
  return {
    id: view.id,
    title: view.title || view.id,
    agent: view.agent,
    payload: (view.payload as TaskPayload | null) ?? { kind: 'noop' },
  };
}
