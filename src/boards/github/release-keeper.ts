import { type BackoffPolicy, backoffDelayMs } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { isSelfFenced, type ReleaseOutcome } from '../../core/task.js';
import type { ActiveClaim, BoardRelease, ReleaseDetail } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import { endedByTaker, ledgerTicketOf, type PendingRelease, type PendingReleases } from '../ledger/index.js';
import type { BoardNotices } from './board-notices.js';
import type { RefLedger } from './ledger/index.js';
import type { Steering } from './mirror/index.js';
import { type BoardMirror, factsOf } from './mirror/index.js';
import { type DeliveredPull, type PullWithdrawContext, withdrawPull } from './pulls/index.js';

export interface ReleaseKeeperOptions {
  ledger: RefLedger;
  store: SharedState;
  mirror: BoardMirror;
  steering: Steering;
  pending: PendingReleases;
  /** Takes back the pull request (and branch) a fenced attempt opened. */
  pulls: PullWithdrawContext['pulls'];
  client: PullWithdrawContext['client'];
  owner: string;
  repo: string;
  clock: Clock;
  logger: Logger;
  maxRetries: number;
  backoff: BackoffPolicy;
  random?: () => number;
  /** The release of this task is settled (landed or fenced): its claim is over. */
  onSettled: (taskId: string) => void;
  /** Notifications of what this process's release wrote (fenced, done, pull request opened). */
  notices?: BoardNotices;
}

/** What a task is once the ledger took its release (the ledger's verdict, recorded locally). */
const RELEASED_STATE = { complete: 'done', failed: 'failed', abandoned: 'ready' } as const;

/** Settled results nobody asked for yet (an attempt between two tries); a few suffice. */
const MAX_UNCLAIMED_RESULTS = 100;

/**
 * Releases that survive transient failures. A release is recorded (kv) before its first try and
 * kept until the ledger takes it or proves the claim lost; a try that fails leaves it for the
 * next (the attempt's own retries, then every daemon cycle, and a restarted daemon). Only then is
 * the local claim given back — as the outcome, or as abandoned when fenced.
 */
export class ReleaseKeeper {
  private readonly inflight = new Map<string, Promise<BoardRelease>>();
  private readonly unclaimed = new Map<string, BoardRelease>();

  constructor(private readonly o: ReleaseKeeperOptions) {}

  /** Records the release (once) and tries it; throws on a transient failure, keeping it. */
  release(claim: ActiveClaim, outcome: ReleaseOutcome, detail: ReleaseDetail): Promise<BoardRelease> {
    const id = claim.task.id;
    // Settled by a cycle while this attempt waited between two tries (keyed by the claim's epoch:
    // a later claim of the same task must never be answered with an earlier claim's result).
    const settled = this.unclaimed.get(claimKey(claim.ticket));
    if (settled) {
      this.unclaimed.delete(claimKey(claim.ticket));
      return Promise.resolve(settled);
    }
    let pending = this.o.pending.get(id);
    if (!pending) {
      const ticket = ledgerTicketOf(claim);
      if (!ticket) {
        this.o.store.release(claim.ticket, 'abandoned', { error: 'no ledger ticket for this claim' });
        return Promise.resolve({ ok: false, reason: 'no ledger ticket for this claim' });
      }
      const retryCount = ticket.retries + (outcome === 'failed' ? 1 : 0);
      pending = {
        taskId: id,
        local: claim.ticket,
        ledger: ticket,
        outcome,
        ...(detail.error ? { error: detail.error } : {}),
        ...(detail.delivered ? { delivered: detail.delivered } : {}),
        backoffMs: outcome === 'failed' ? backoffDelayMs(retryCount, this.o.backoff, this.o.random) : 0,
        since: this.o.clock.now(),
      };
      this.o.pending.put(pending);
    }
    return this.settle(pending);
  }

  /**
   * Tries every pending release no attempt is trying right now (after a restart: all of them).
   * Stops at the first failure: the board is most likely still down. Returns how many settled.
   */
  async retryPending(): Promise<number> {
    let settled = 0;
    for (const pending of this.o.pending.all()) {
      if (this.inflight.has(pending.taskId)) continue;
      try {
        const result = await this.settle(pending);
        settled++;
        this.unclaimed.set(claimKey(pending.local), result);
        if (this.unclaimed.size > MAX_UNCLAIMED_RESULTS) {
          this.unclaimed.delete(this.unclaimed.keys().next().value as string);
        }
        this.o.logger.info(
          { task: pending.taskId, outcome: pending.outcome, recorded: result.ok },
          result.ok ? 'a pending release landed' : 'a pending release was fenced: result discarded',
        );
      } catch (error) {
        this.o.logger.warn(
          { err: error, task: pending.taskId, pendingSinceMs: this.o.clock.now() - pending.since },
          'a release is still not recorded; retrying it next cycle',
        );
        return settled;
      }
    }
    return settled;
  }

  get size(): number {
    return this.o.pending.size;
  }

  private settle(pending: PendingRelease): Promise<BoardRelease> {
    let run = this.inflight.get(pending.taskId);
    if (!run) {
      run = this.write(pending).finally(() => this.inflight.delete(pending.taskId));
      this.inflight.set(pending.taskId, run);
    }
    return run;
  }

  private async write(p: PendingRelease): Promise<BoardRelease> {
    const { ledger, store: state, mirror } = this.o;
    const ticket = p.ledger;
    const failed = p.outcome === 'failed';
    mirror.touch(ticket.issue);
    const pr = p.delivered?.pr ?? null;
    // "Complete, no changes": said in the ledger record and in the state comment.
    const unchanged = p.delivered?.changed === false;
    const reason = p.error ?? (unchanged ? 'no changes' : undefined);
    const result = await mirror.ledgerWrite(() =>
      ledger.release(ticket, p.outcome, {
        ...(reason ? { reason } : {}),
        ...(failed ? { backoffMs: p.backoffMs } : {}),
        ...(pr ? { pr: pr.number } : {}),
      }),
    );
    this.o.pending.delete(p.taskId);
    this.o.onSettled(p.taskId);
    if (!result.ok) {
      // Fenced: the result is discarded; the local claim is given back without counting.
      state.release(p.local, 'abandoned', { error: `fenced: ${result.reason}` });
      state.events.append({ type: 'fenced', taskId: p.taskId, ownerId: ticket.ownerId, epoch: ticket.epoch });
      if (!endedByTaker(result.endedBy, ticket.ownerId))
        this.o.notices?.fenced(ticket.issue, ticket.ownerId, ticket.epoch, result.reason);
      // A pull request this attempt opened goes with its result (one the chain already had stays),
      // whoever settles the release: the attempt, a later cycle, or the daemon after a restart.
      if (pr?.created) {
        await this.settleFencedDelivery(p.taskId, ticket.issue, {
          number: pr.number,
          branch: p.delivered!.branch,
          pushedSha: p.delivered!.pushedSha,
        });
      }
      return { ok: false, reason: result.reason };
    }
    // The ledger decided (retry count, poison, backoff): the local store records that decision
    // rather than applying its own policy, so retry and poison are decided in one place.
    const retryCount = ticket.retries + (failed ? 1 : 0);
    const poisoned = failed && retryCount >= this.o.maxRetries;
    const decided = {
      state: poisoned ? ('poisoned' as const) : RELEASED_STATE[p.outcome],
      retryCount,
      nextAttemptAt: this.o.clock.now() + p.backoffMs,
    };
    state.release(p.local, p.outcome, {
      ...(p.error ? { error: p.error } : {}),
      decided,
      // The task page links the pull request from the event this records.
      ...(pr ? { pr: { number: pr.number, url: pr.url } } : {}),
    });
    const after = { ...ticket, sha: result.sha, epoch: result.epoch, retries: retryCount };
    if (poisoned) {
      const facts = factsOf(p.local);
      const last = { claimedAt: facts.claimedAt, logs: mirror.artifactsOf(facts) };
      this.o.steering.poisoned(ticket.issue, ticket.ownerId, p.error ?? 'failed', last);
    } else {
      const label = p.outcome === 'complete' ? 'done' : null;
      const shown = {
        outcome: unchanged ? `${p.outcome}, no changes` : p.outcome,
        ...(p.error ? { error: p.error } : {}),
        ...(pr ? { pr: pr.number } : {}),
      };
      mirror.show(factsOf(p.local), after, label, shown, { olderSha: ticket.sha });
      if (p.outcome === 'complete') this.o.notices?.completed(ticket.issue, ticket.ownerId, ticket.epoch, pr);
      // A self-fenced attempt whose own release ended its epoch (nobody took it over): told here.
      if (p.outcome === 'abandoned' && isSelfFenced(p.error))
        this.o.notices?.fenced(ticket.issue, ticket.ownerId, ticket.epoch, p.error ?? 'self-fenced');
    }
    return { ok: true, ...decided };
  }

  /**
   * A fenced attempt pushed while the ledger still proved its claim (the delivery fence), so
   * its branch and pull request are the issue's: the owner after it continues that branch and
   * updates that pull request (claims carry them down the chain) — one pull request per issue.
   * Only when no attempt will follow (the chain was poisoned) are they taken back.
   */
  private async settleFencedDelivery(taskId: string, issue: number, delivered: DeliveredPull): Promise<void> {
    const log = { task: taskId, pr: delivered.number, branch: delivered.branch };
    try {
      const tip = (await this.o.ledger.refresh()).tasks.get(issue);
      if (tip?.record?.kind !== 'poison') {
        this.o.logger.info(log, 'left the pull request of a fenced attempt to the next owner of the issue');
        return;
      }
    } catch (error) {
      this.o.logger.warn(
        { ...log, err: error },
        'could not read the ledger: the fenced pull request is left as it is',
      );
      return;
    }
    await this.withdrawFenced(log, delivered);
  }

  private async withdrawFenced(
    log: { task: string; pr: number; branch: string },
    delivered: DeliveredPull,
  ): Promise<void> {
    try {
      const result = await withdrawPull(this.o, delivered);
      if (result === 'withdrawn') {
        this.o.logger.warn(log, 'closed the pull request of a fenced attempt and deleted its branch');
      } else if (result === 'adopted') {
        this.o.logger.info(log, 'left the pull request of a fenced attempt to the owner who pushed on top');
      }
    } catch (error) {
      this.o.logger.error({ ...log, err: error }, 'could not close the pull request of a fenced attempt');
    }
  }
}

/** Names one claim of a task: its epoch grows with every claim. */
function claimKey(ticket: { taskId: string; epoch: number }): string {
  return `${ticket.taskId}@${ticket.epoch}`;
}
