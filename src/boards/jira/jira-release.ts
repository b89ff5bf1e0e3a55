/**
 * Releases of the Jira board into the git ledger, kept until they land. A release is recorded in
 * the local store (kv, the ledger core's PendingReleases) before its first try and kept until the
 * ledger takes it or proves the claim lost: a try that fails leaves it for the next — the
 * attempt's own retries, every cycle, and a restarted daemon, which finishes it instead of running
 * the finished task again. Its claim stays alive meanwhile. As GitHub's ReleaseKeeper.
 */
import { type BackoffPolicy, backoffDelayMs } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { isSelfFenced, type OwnerIdentity, type ReleaseOutcome } from '../../core/task.js';
import type { BoardRelease, ReleaseDetail } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import type { RefLedger } from '../github/ledger/index.js';
import {
  endedByTaker,
  type LedgerNotices,
  type PendingRelease,
  type PendingReleases,
} from '../ledger/index.js';
import type { JiraClaim } from './jira-claim.js';
import type { WithdrawnPull } from './jira-deliver.js';
import type { JiraSnapshot } from './jira-issue.js';
import type { JiraMirror } from './jira-mirror.js';

export interface JiraReleasesOptions {
  ledger: RefLedger;
  store: SharedState;
  clock: Clock;
  logger: Logger;
  self: OwnerIdentity;
  maxRetries: number;
  backoff: BackoffPolicy;
  random?: () => number;
  mirror?: JiraMirror;
  /** Releases not recorded yet (kv): they survive a restart. */
  pending: PendingReleases;
  /** The synced issue of a chain, to mirror a release a restarted daemon settles. */
  issueOf: (id: number) => JiraSnapshot | undefined;
  /** The release of this task landed or was fenced: its claim is over. */
  onSettled: (taskId: string) => void;
  /** Takes back a pull request an attempt opened when its release proves fenced (jira-deliver.ts). */
  withdraw?: (pr: WithdrawnPull) => Promise<unknown>;
  /** Notifications of the records this process writes (the ledger core's LedgerNotices). */
  notices?: Pick<LedgerNotices, 'fenced' | 'completed' | 'poisoned'>;
}

const RELEASED_STATE = { complete: 'done', failed: 'failed', abandoned: 'ready' } as const;

/** Settled results nobody asked for yet (an attempt between two tries); a few suffice. */
const MAX_UNCLAIMED_RESULTS = 100;

export class JiraReleases {
  /** One write per release at a time (the attempt's retry and a cycle's must not race). */
  private readonly inflight = new Map<string, Promise<BoardRelease>>();
  /** Results a cycle settled while the attempt waited between two tries, by task and epoch. */
  private readonly unclaimed = new Map<string, BoardRelease>();
  /** The issue as its claim saw it, by task, for the mirror (a restarted daemon has the synced one). */
  private readonly issues = new Map<string, JiraSnapshot>();

  constructor(private readonly o: JiraReleasesOptions) {}

  get size(): number {
    return this.o.pending.size;
  }

  /** Chains whose release is not recorded yet (their heartbeat goes on; nobody claims them here). */
  chains(): number[] {
    return this.o.pending.all().map((p) => p.ledger.issue);
  }

  /** Records the release (once: the backoff is chosen once) and tries it; throws on a failure, keeping it. */
  release(c: JiraClaim, outcome: ReleaseOutcome, detail: ReleaseDetail): Promise<BoardRelease> {
    const key = claimKey(c.ticket);
    const done = this.unclaimed.get(key);
    if (done) {
      this.unclaimed.delete(key);
      return Promise.resolve(done);
    }
    this.issues.set(c.task.id, c.issue);
    let pending = this.o.pending.get(c.task.id);
    if (!pending) {
      const retryCount = c.ledger.retries + (outcome === 'failed' ? 1 : 0);
      pending = {
        taskId: c.task.id,
        local: c.ticket,
        ledger: c.ledger,
        outcome,
        ...(detail.error ? { error: detail.error } : {}),
        ...(detail.delivered ? { delivered: detail.delivered } : {}),
        key: c.issue.key,
        backoffMs: outcome === 'failed' ? backoffDelayMs(retryCount, this.o.backoff, this.o.random) : 0,
        since: this.o.clock.now(),
      };
      this.o.pending.put(pending);
    }
    return this.settle(pending);
  }

  /**
   * Tries every release no attempt is trying right now (after a restart: all of them); stops at
   * the first failure (the ledger is most likely still down). Returns how many settled.
   */
  async retry(): Promise<number> {
    let settled = 0;
    for (const p of this.o.pending.all()) {
      if (this.inflight.has(p.taskId)) continue;
      try {
        const result = await this.settle(p);
        settled++;
        this.unclaimed.set(claimKey(p.local), result);
        if (this.unclaimed.size > MAX_UNCLAIMED_RESULTS)
          this.unclaimed.delete(this.unclaimed.keys().next().value as string);
        this.o.logger.info(
          { task: p.taskId, outcome: p.outcome, recorded: result.ok },
          'a pending release landed',
        );
      } catch (error) {
        this.o.logger.warn(
          { err: error, task: p.taskId, pendingSinceMs: this.o.clock.now() - p.since },
          'a release is still not recorded; retrying it next cycle',
        );
        break;
      }
    }
    return settled;
  }

  private settle(p: PendingRelease): Promise<BoardRelease> {
    let run = this.inflight.get(p.taskId);
    if (!run) {
      run = this.write(p).finally(() => this.inflight.delete(p.taskId));
      this.inflight.set(p.taskId, run);
    }
    return run;
  }

  /** The ledger's release (safe to repeat after a failure), then the local record and the mirror. */
  private async write(p: PendingRelease): Promise<BoardRelease> {
    const failed = p.outcome === 'failed';
    const retryCount = p.ledger.retries + (failed ? 1 : 0);
    const pr = p.delivered?.pr ?? null;
    // "Complete, no changes": said in the ledger record, as on GitHub.
    const reason = p.error ?? (p.delivered?.changed === false ? 'no changes' : undefined);
    const result = await this.o.ledger.release(p.ledger, p.outcome, {
      ...(reason ? { reason } : {}),
      ...(failed ? { backoffMs: p.backoffMs } : {}),
      ...(pr ? { pr: pr.number } : {}),
    });
    this.o.pending.delete(p.taskId);
    this.o.onSettled(p.taskId);
    const issue = this.issues.get(p.taskId) ?? this.o.issueOf(p.ledger.issue);
    this.issues.delete(p.taskId);
    if (!result.ok) {
      // Fenced: the result is discarded; the local claim is given back without counting.
      this.o.store.release(p.local, 'abandoned', { error: `fenced: ${result.reason}` });
      this.o.store.events.append({
        type: 'fenced',
        taskId: p.taskId,
        ownerId: p.ledger.ownerId,
        epoch: p.ledger.epoch,
      });
      // A takeover (a claim above ours, or its poison at the retry limit) told the fence itself.
      if (!endedByTaker(result.endedBy, p.ledger.ownerId))
        this.o.notices?.fenced(p.ledger.issue, p.ledger.ownerId, p.ledger.epoch, result.reason);
      if (pr?.created) {
        const opened = { ...pr, branch: p.delivered!.branch, pushedSha: p.delivered!.pushedSha };
        await this.settleFencedDelivery(p.taskId, p.ledger.issue, opened);
      }
      return { ok: false, reason: result.reason };
    }
    // The ledger decided (retries, poison, backoff): the local store records that decision.
    const poisoned = failed && retryCount >= this.o.maxRetries;
    const decided = {
      state: poisoned ? ('poisoned' as const) : RELEASED_STATE[p.outcome],
      retryCount,
      nextAttemptAt: this.o.clock.now() + p.backoffMs,
    };
    this.o.store.release(p.local, p.outcome, {
      ...(p.error ? { error: p.error } : {}),
      decided,
      // The task page links the pull request from the event this records.
      ...(pr ? { pr: { number: pr.number, url: pr.url } } : {}),
    });
    const key = p.key ?? String(p.ledger.issue);
    // The poison is written now, by the one who failed last: the local gate refuses this task from
    // here on, so waiting for the next claimer to write it would leave it counted as runnable.
    if (poisoned) await this.poison(p.ledger.issue, key, p.error ?? 'failed');
    if (p.outcome === 'complete')
      this.o.notices?.completed(p.ledger.issue, p.ledger.ownerId, p.ledger.epoch, pr);
    // A self-fenced attempt whose own release ended its epoch (nobody took it over): told here.
    if (p.outcome === 'abandoned' && isSelfFenced(p.error))
      this.o.notices?.fenced(p.ledger.issue, p.ledger.ownerId, p.ledger.epoch, p.error ?? 'self-fenced');
    const shown = poisoned ? 'poisoned' : SHOWN[p.outcome];
    if (issue) {
      this.o.mirror?.show(issue, shown, {
        owner: p.ledger.ownerId,
        attempt: p.local.attempt,
        epoch: result.epoch,
        ...(p.error ? { error: p.error } : {}),
        ...(pr && !poisoned ? { pr: { number: pr.number, url: pr.url } } : {}),
      });
    }
    return { ok: true, ...decided };
  }

  /**
   * As GitHub's ReleaseKeeper: a fenced attempt pushed while the delivery fence still proved its
   * claim, so its branch and pull request are the issue's — the next owner continues and updates
   * them. Only when no attempt will follow (the chain is poisoned) are they taken back.
   */
  private async settleFencedDelivery(taskId: string, issue: number, pr: WithdrawnPull): Promise<void> {
    if (!this.o.withdraw) return;
    const log = { task: taskId, pr: pr.number, branch: pr.branch };
    try {
      if ((await this.o.ledger.refresh()).tasks.get(issue)?.record?.kind !== 'poison') return;
      await this.o.withdraw(pr);
    } catch (error) {
      this.o.logger.warn({ ...log, err: error }, 'the pull request of a fenced attempt is left as it is');
    }
  }

  private async poison(id: number, key: string, reason: string): Promise<void> {
    try {
      const detail = `${this.o.maxRetries} failed attempts; last: ${reason}`;
      const written = await this.o.ledger.poison(id, this.o.self.id, detail);
      // Told by the one who wrote it (a retried write finds it there: the same epoch, told once).
      if (written.ok && written.sha !== null)
        this.o.notices?.poisoned(id, this.o.self.id, written.epoch, reason);
      await this.o.ledger.refresh();
    } catch (error) {
      // The next claimer writes it instead (the ledger decides poison from the retry count).
      this.o.logger.warn({ err: error, issue: key }, `could not record the poison of ${key}`);
    }
  }
}

const SHOWN = { complete: 'done', failed: 'failed', abandoned: 'released' } as const;

/** Names one claim of a task: its epoch grows with every claim. */
function claimKey(ticket: { taskId: string; epoch: number }): string {
  return `${ticket.taskId}@${ticket.epoch}`;
}
