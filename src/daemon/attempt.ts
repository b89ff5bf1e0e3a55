import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { errorMessage, retryAfterOf } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { taskDirName } from '../core/safe-path.js';
import { type ReleaseOutcome, selfFencedError } from '../core/task.js';
import type { Executor } from '../executors/executor.js';
import type { ActiveClaim, Board, ReleaseDetail } from './board.js';
import { deliverAttempt, SUMMARY_FILE } from './delivery.js';
import type { Lifecycle } from './lifecycle.js';
import type { AttemptWorkspace, DeliveredWork, WorkspaceProvider } from './workspace.js';

/** Why the daemon stopped an attempt before it finished on its own. */
export type StopReason = 'shutdown' | 'ignored' | 'lost' | 'self-fenced';

export interface AttemptContext {
  board: Board;
  executorFor: (claim: ActiveClaim) => Executor;
  artifactsRoot: string;
  clock: Clock;
  logger: Logger;
  events: Lifecycle;
  /** Aborted by a forced stop only: a graceful shutdown still releases (see Daemon). */
  releaseSignal: AbortSignal;
  /** Workspaces for tasks that carry `work` (none: such tasks run in a fresh empty directory). */
  workspaces?: WorkspaceProvider;
  /** What an attempt that completes without changes counts as (NO_CHANGES). */
  noChanges?: 'complete' | 'failed';
}

/** One claimed task being worked: its executor, and the means to stop it. */
export class Attempt {
  private readonly controller = new AbortController();
  private stopReason: StopReason | null = null;
  private stopDetail = '';
  /** Leader of the attempt's process group, once the executor spawned one. */
  pid: number | null = null;
  /** Runs in the recovery slot: lost work claimed while every ordinary slot was busy. */
  recovery = false;
  /** Wall time of the claim (see DaemonActivity). */
  readonly claimedAt: number;

  constructor(
    readonly claim: ActiveClaim,
    private readonly ctx: AttemptContext,
  ) {
    this.claimedAt = ctx.clock.now();
  }

  get stopped(): boolean {
    return this.stopReason !== null;
  }

  /** Aborts the executor; the first reason given wins. */
  stop(reason: StopReason, detail: string = reason): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.stopDetail = detail;
    this.controller.abort(new Error(`attempt stopped: ${detail}`));
  }

  /** Runs the executor and gives the claim back with its outcome. Never throws. */
  async run(): Promise<void> {
    const { board, events, clock } = this.ctx;
    const { claim } = this;
    const { ticket, task } = claim;
    const log = this.ctx.logger.child({
      task: task.id,
      owner: ticket.ownerId,
      attempt: ticket.attempt,
      epoch: ticket.epoch,
    });
    const started = clock.monotonic();
    const artifactsDir = join(this.ctx.artifactsRoot, taskDirName(task.id), String(ticket.epoch));
    let workspace: AttemptWorkspace | null = null;
    let keep = false;
    try {
      await board.started(claim);
      events.emit('started', claim);
      if (task.work && this.ctx.workspaces) {
        workspace = await this.ctx.workspaces.open(task.work, ticket, this.controller.signal);
      }
      const env = {
        ...task.env,
        ...workspace?.env,
        ...(workspace ? { CODEX_MONITOR_SUMMARY_FILE: join(artifactsDir, SUMMARY_FILE) } : {}),
      };
      const result = await this.ctx.executorFor(claim).run(
        {
          taskId: task.id,
          title: task.title,
          attempt: ticket.attempt,
          epoch: ticket.epoch,
          ownerId: ticket.ownerId,
          payload: task.payload,
          artifactsDir,
          ...(Object.keys(env).length > 0 ? { env } : {}),
          ...(workspace ? { workdir: workspace.dir } : {}),
        },
        this.controller.signal,
        {
          onSpawn: (pid) => {
            this.pid = pid;
            board.spawned(claim, pid);
          },
        },
      );
      if (this.stopReason === 'lost') {
        // Someone else holds the task now: whatever this attempt produced is discarded. The
        // release is still made: the board proves the loss and gives the local claim back.
        log.warn({ reason: this.stopDetail }, 'claim lost during the attempt: result discarded');
        events.emit('fenced', claim, this.stopDetail);
        await this.releaseWithRetries('abandoned', `claim lost: ${this.stopDetail}`, log);
        return;
      }
      let { outcome, error } = decideOutcome(result.outcome, result.error, this.stopReason, this.stopDetail);
      let delivered: DeliveredWork | null = null;
      if (workspace && outcome === 'complete') {
        const delivery = await deliverAttempt(board, claim, workspace, {
          noChanges: this.ctx.noChanges ?? 'complete',
          artifactsDir,
          signal: this.controller.signal,
        });
        if (delivery.outcome === 'fenced') {
          // The delivery fence was refused: the claim is someone else's, nothing was pushed.
          log.warn({ reason: delivery.reason }, 'claim lost before delivery: result discarded');
          events.emit('fenced', claim, delivery.reason);
          await this.releaseWithRetries('abandoned', `claim lost: ${delivery.reason}`, log);
          return;
        }
        if (delivery.outcome === 'failed')
          ({ outcome, error } = { outcome: 'failed', error: delivery.error });
        else delivered = delivery.delivered;
      }
      keep = outcome === 'failed';
      // Fenced after the push, the board decides what becomes of the branch and pull request
      // (the next owner continues them), whoever settles the release: this attempt or a later cycle.
      await this.release(outcome, error, clock.monotonic() - started, log, delivered);
    } catch (error) {
      keep = true;
      log.error({ err: error }, 'attempt crashed; releasing it as failed');
      await this.release(
        'failed',
        `codex-monitor error: ${errorMessage(error)}`,
        clock.monotonic() - started,
        log,
      );
    } finally {
      await workspace?.close(keep).catch((e) => log.warn({ err: e }, 'could not remove the worktree'));
    }
  }

  /**
   * A release the board could not take (a rate limit, an outage) is tried again with growing
   * waits — a rate limit's own wait, capped — for a little while. The board keeps a release it
   * could not record (GitHub: in the local store's kv table) and retries it every cycle, and after a
   * restart, until it lands or the claim is proven lost: the attempt need not wait that long.
   */
  private async releaseWithRetries(
    outcome: ReleaseOutcome,
    error: string | undefined,
    log: Logger,
    delivered: DeliveredWork | null = null,
  ) {
    const { board, events, clock } = this.ctx;
    for (let attempt = 1; ; attempt++) {
      try {
        const detail: ReleaseDetail = {
          ...(error === undefined ? {} : { error }),
          ...(delivered ? { delivered } : {}),
        };
        return await board.release(this.claim, outcome, detail, this.ctx.releaseSignal);
      } catch (e) {
        // Shutting down: no waiting; a board that keeps releases finishes it at the next start.
        const forced = this.ctx.releaseSignal.aborted;
        if (attempt >= RELEASE_TRIES || this.stopReason === 'shutdown' || forced) {
          log.error(
            { err: e, outcome },
            'release not recorded yet: the board keeps it and retries it every cycle (and at the next start) until it lands or proves fenced',
          );
          events.emit('warning', `release of ${this.claim.task.id} not recorded yet`, e);
          return null;
        }
        const waitMs = Math.min(retryAfterOf(e) ?? 500 * 2 ** attempt, MAX_RELEASE_WAIT_MS);
        log.warn({ err: e, attempt, waitMs }, 'release failed; trying again');
        await clock.sleep(waitMs, this.ctx.releaseSignal).catch(() => undefined);
      }
    }
  }

  private async release(
    outcome: ReleaseOutcome,
    error: string | undefined,
    durationMs: number,
    log: Logger,
    delivered: DeliveredWork | null = null,
  ) {
    const { events } = this.ctx;
    const { claim } = this;
    const released = await this.releaseWithRetries(outcome, error, log, delivered);
    if (released === null) return;
    if (!released.ok) {
      log.warn({ reason: released.reason, outcome }, 'release refused (fenced): result discarded');
      events.emit('fenced', claim, released.reason);
      return;
    }
    log.info(
      { outcome, state: released.state, retries: released.retryCount, durationMs },
      `attempt ${outcome}`,
    );
    if (outcome === 'complete') events.emit('completed', claim, durationMs);
    else if (outcome === 'abandoned') events.emit('abandoned', claim, error ?? 'abandoned');
    else if (released.state === 'poisoned') events.emit('poisoned', claim, error ?? 'failed');
    else events.emit('failed', claim, error ?? 'failed', released.nextAttemptAt);
  }
}

/** In-attempt tries of a release: about 15 s of waits (1, 2, 4, 8 s) before the board's own retries. */
const RELEASE_TRIES = 5;
const MAX_RELEASE_WAIT_MS = 8_000;

/**
 * What to record for an attempt. A human stop (ignore), a shutdown or self-fencing abandons
 * it — no retry is counted — unless the executor had already finished on its own.
 */
export function decideOutcome(
  executed: 'complete' | 'failed' | 'aborted',
  error: string | undefined,
  stopReason: StopReason | null,
  stopDetail: string,
): { outcome: ReleaseOutcome; error?: string } {
  if (stopReason === 'self-fenced') return { outcome: 'abandoned', error: selfFencedError(stopDetail) };
  if (executed === 'aborted' || (stopReason !== null && executed === 'failed')) {
    return { outcome: 'abandoned', error: stopReason === 'ignored' ? `ignored: ${stopDetail}` : stopDetail };
  }
  return executed === 'complete' ? { outcome: 'complete' } : { outcome: 'failed', error: error ?? 'failed' };
}
