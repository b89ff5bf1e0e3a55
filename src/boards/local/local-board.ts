import type { NotificationSink } from '../../core/notification.js';
import type { OwnerIdentity, ReleaseOutcome } from '../../core/task.js';
import type {
  ActiveClaim,
  Board,
  BoardRelease,
  ClaimOptions,
  HeartbeatReport,
  PendingWork,
} from '../../daemon/board.js';
import { processStartTicks } from '../../host/process-liveness.js';
import type { SharedState } from '../../state/shared-state.js';
import type { TaskView } from '../../state/tasks/task-rows.js';
import { sweepStaleClaims } from '../orphan-reaper.js';
import { LocalHands } from './local-hands.js';
import { LocalSteering } from './local-steering.js';
import { pendingWork } from './pending.js';
import { localWork, readStoredPayload } from './task-workspace.js';
import { VerifyRounds, type VerifyRoundsOptions } from './verify-rounds.js';

export interface LocalBoardOptions {
  /** The daemon this board is opened for. */
  owner: OwnerIdentity;
  /** Only tasks for this capability (null: any). */
  agent: string | null;
  /**
   * Worktrees are on (WORKSPACE=worktree, the repository directory checked): a task with
   * `workspace: true` then runs in one, and its result is a local branch.
   */
  worktrees?: boolean;
  /**
   * Notifications of the transitions this process makes (poisoned, fenced, done). The agent's
   * error is never in them here: the public-error redaction is the GitHub board's.
   */
  notify?: NotificationSink;
  /**
   * A failed verification sends its task back with the review, up to REVIEW_MAX_ROUNDS
   * (verify-rounds.ts). Without it a failed verification is retried and poisoned like any task.
   */
  verifyRounds?: VerifyRoundsOptions;
}

/**
 * The embedded local board: tasks seeded from YAML into the shared-state database. The
 * state manager is the authority, so leases, retries, poison and events are the same as
 * the local view on GitHub; claimNext picks and claims in one IMMEDIATE transaction.
 */
export class LocalBoard implements Board {
  readonly name = 'local';
  readonly steering: LocalSteering;
  private readonly rounds: VerifyRounds | null;

  constructor(
    private readonly store: SharedState,
    private readonly options: LocalBoardOptions,
  ) {
    this.steering = new LocalSteering(store);
    this.rounds = options.verifyRounds ? new VerifyRounds(store, options.verifyRounds) : null;
  }

  handsFor(who: { id: string; host: string }): LocalHands {
    return new LocalHands(this.store, who);
  }

  async register(): Promise<void> {
    this.store.owners.register(this.options.owner, null);
  }

  async unregister(): Promise<void> {
    this.store.owners.unregister(this.options.owner);
  }

  async refresh(signal?: AbortSignal): Promise<string[]> {
    // A dead daemon's attempts still running here are stopped before their claims expire.
    return (await sweepStaleClaims(this.store, signal)).map((s) => s.taskId);
  }

  async claimNext({ purpose, signal }: ClaimOptions): Promise<ActiveClaim | null> {
    // Lost work on one machine is swept back into the queue at once (dead pid) or after the
    // threshold: it needs no slot of its own.
    if (purpose === 'recovery' || signal.aborted) return null;
    const claimed = this.store.claimNext(this.options.owner, this.options.agent, 'local');
    if (!claimed) return null;
    const task = toBoardTask(claimed.task, this.options.worktrees === true);
    // A task a verification sent back is given the review (on GitHub: the change request).
    const review = this.rounds?.reviewEnv(task.id) ?? {};
    if (Object.keys(review).length > 0) task.env = { ...task.env, ...review };
    return {
      task,
      ticket: claimed.ticket,
      tookOverFrom: claimed.tookOverFrom,
    };
  }

  async started(claim: ActiveClaim): Promise<void> {
    this.store.recordStart(claim.ticket);
  }

  spawned(claim: ActiveClaim, pid: number): void {
    this.store.recordProcess(claim.ticket, pid, processStartTicks(pid));
  }

  async heartbeat(claims: readonly ActiveClaim[]): Promise<HeartbeatReport> {
    const { owner } = this.options;
    const renewed = new Set(this.store.heartbeat(owner));
    const report: HeartbeatReport = { lost: [], ignored: [] };
    for (const claim of claims) {
      const view = this.store.get(claim.task.id);
      if (!renewed.has(claim.task.id) || view?.epoch !== claim.ticket.epoch) {
        const reason = 'the claim is no longer ours (swept or taken over)';
        report.lost.push({ taskId: claim.task.id, reason });
        this.store.events.append({
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
    const refused = outcome === 'failed' ? this.rounds?.refuse(claim, detail.error) : null;
    const result = refused ?? this.store.release(claim.ticket, outcome, detail);
    this.notifyRelease(claim.ticket, result);
    return result;
  }

  /** This process made the transition in one transaction: it, and only it, notifies. */
  private notifyRelease(ticket: ActiveClaim['ticket'], result: BoardRelease): void {
    const notify = this.options.notify;
    if (!notify) return;
    const base = { task: ticket.taskId, owner: ticket.ownerId, epoch: ticket.epoch };
    if (!result.ok)
      notify.notify({ ...base, event: 'fenced', summary: `result discarded: ${result.reason}` });
    else if (result.state === 'poisoned')
      notify.notify({ ...base, event: 'poisoned', summary: 'out of retries' });
    else if (result.state === 'done') notify.notify({ ...base, event: 'done' });
  }

  async pending(): Promise<PendingWork> {
    return pendingWork(this.store.claimability('local', this.options.agent));
  }

  async close(): Promise<void> {}
}

/** A board row as the daemon runs it; `worktrees`: whether a `workspace: true` task gets its work. */
export function toBoardTask(view: TaskView, worktrees = false): ActiveClaim['task'] {
  const title = view.title || view.id;
  const { payload, workspace, verifies } = readStoredPayload(view.payload);
  // A verification works on the verified task's branch (its worktree continues that branch).
  const work = verifies ? localWork(verifies.id, verifies.title) : localWork(view.id, title);
  return {
    id: view.id,
    title,
    agent: view.agent,
    payload,
    ...(workspace && worktrees ? { work } : {}),
    ...(verifies ? { env: { CODEX_MONITOR_VERIFY_OF: verifies.id } } : {}),
  };
}
