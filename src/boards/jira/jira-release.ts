/**
 * Releases of the Jira board into the git ledger, kept until they land: a release the ledger did not
 * take (a push failed) is retried every cycle until it lands or is fenced, its claim kept alive
 * meanwhile; one write per release at a time; a result a cycle settled is handed to the attempt's
 * own retry. In memory only: after a restart the claim is an orphan of ours and is recovered
 * (run again), which is safe. As GitHub's ReleaseKeeper, without its persistence.
 */
import { type BackoffPolicy, backoffDelayMs } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity, ReleaseOutcome } from '../../core/task.js';
import type { BoardRelease, ReleaseDetail } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import type { RefLedger } from '../github/ledger/index.js';
import type { JiraClaim } from './jira-claim.js';
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
  /** The release of this task landed or was fenced: its claim is over. */
  onSettled: (taskId: string) => void;
}

const RELEASED_STATE = { complete: 'done', failed: 'failed', abandoned: 'ready' } as const;

export class JiraReleases {
  /**
   * Releases the ledger did not take (a push failed), retried every cycle until they land or are
   * fenced; their claims stay alive meanwhile. In memory only: after a restart the claim is an
   * orphan of ours and is recovered (run again), which is safe.
   */
  private readonly unreleased = new Map<
    string,
    { claim: JiraClaim; outcome: ReleaseOutcome; detail: ReleaseDetail }
  >();
  /** One write per release at a time (the attempt's retry and a cycle's must not race). */
  private readonly inflight = new Map<string, Promise<BoardRelease>>();
  /** Results a cycle settled while the attempt waited between two tries, by task and epoch. */
  private readonly settled = new Map<string, BoardRelease>();

  constructor(private readonly o: JiraReleasesOptions) {}

  get size(): number {
    return this.unreleased.size;
  }

  /** Claims whose release is not recorded yet (their heartbeat goes on). */
  claims(): JiraClaim[] {
    return [...this.unreleased.values()].map((u) => u.claim);
  }

  async release(c: JiraClaim, outcome: ReleaseOutcome, detail: ReleaseDetail): Promise<BoardRelease> {
    const key = `${c.task.id}@${c.ledger.epoch}`;
    const done = this.settled.get(key);
    if (done) {
      this.settled.delete(key);
      return done;
    }
    try {
      const released = await this.once(c, outcome, detail);
      this.unreleased.delete(c.task.id);
      return released;
    } catch (error) {
      this.unreleased.set(c.task.id, { claim: c, outcome, detail });
      throw error;
    }
  }

  /** Tries every release not recorded yet; stops at the first failure (the ledger is still down). */
  async retry(): Promise<number> {
    let settled = 0;
    for (const [id, u] of this.unreleased) {
      try {
        const result = await this.once(u.claim, u.outcome, u.detail);
        this.unreleased.delete(id);
        this.settled.set(`${id}@${u.claim.ledger.epoch}`, result);
        settled++;
        this.o.logger.info({ task: id, outcome: u.outcome, recorded: result.ok }, 'a pending release landed');
      } catch (error) {
        this.o.logger.warn(
          { err: error, task: id },
          'a release is still not recorded; retrying it next cycle',
        );
        break;
      }
    }
    return settled;
  }

  private once(c: JiraClaim, outcome: ReleaseOutcome, detail: ReleaseDetail): Promise<BoardRelease> {
    let run = this.inflight.get(c.task.id);
    if (!run) {
      run = this.write(c, outcome, detail).finally(() => this.inflight.delete(c.task.id));
      this.inflight.set(c.task.id, run);
    }
    return run;
  }

  /** The ledger's release (safe to repeat after a failure), then the local record and the mirror. */
  private async write(c: JiraClaim, outcome: ReleaseOutcome, detail: ReleaseDetail): Promise<BoardRelease> {
    const claim = c;
    const failed = outcome === 'failed';
    const retryCount = c.ledger.retries + (failed ? 1 : 0);
    const backoffMs = failed ? backoffDelayMs(retryCount, this.o.backoff, this.o.random) : 0;
    const result = await this.o.ledger.release(c.ledger, outcome, {
      ...(detail.error ? { reason: detail.error } : {}),
      ...(failed ? { backoffMs } : {}),
    });
    this.o.onSettled(claim.task.id);
    if (!result.ok) {
      // Fenced: the result is discarded; the local claim is given back without counting.
      this.o.store.release(claim.ticket, 'abandoned', { error: `fenced: ${result.reason}` });
      this.o.store.events.append({
        type: 'fenced',
        taskId: claim.task.id,
        ownerId: c.ledger.ownerId,
        epoch: c.ledger.epoch,
      });
      return { ok: false, reason: result.reason };
    }
    // The ledger decided (retries, poison, backoff): the local store records that decision.
    const poisoned = failed && retryCount >= this.o.maxRetries;
    const decided = {
      state: poisoned ? ('poisoned' as const) : RELEASED_STATE[outcome],
      retryCount,
      nextAttemptAt: this.o.clock.now() + backoffMs,
    };
    this.o.store.release(claim.ticket, outcome, {
      ...(detail.error ? { error: detail.error } : {}),
      decided,
    });
    // The poison is written now, by the one who failed last: the local gate refuses this task from
    // here on, so waiting for the next claimer to write it would leave it counted as runnable.
    if (poisoned) await this.poison(c.ledger.issue, c.issue.key, detail.error ?? 'failed');
    const shown = poisoned
      ? 'poisoned'
      : outcome === 'complete'
        ? 'done'
        : outcome === 'failed'
          ? 'failed'
          : 'released';
    this.o.mirror?.show(c.issue, shown, {
      owner: c.ledger.ownerId,
      attempt: claim.ticket.attempt,
      epoch: result.epoch,
      ...(detail.error ? { error: detail.error } : {}),
    });
    return { ok: true, ...decided };
  }

  private async poison(id: number, key: string, reason: string): Promise<void> {
    try {
      await this.o.ledger.poison(id, this.o.self.id, `${this.o.maxRetries} failed attempts; last: ${reason}`);
      await this.o.ledger.refresh();
    } catch (error) {
      // The next claimer writes it instead (the ledger decides poison from the retry count).
      this.o.logger.warn({ err: error, issue: key }, `could not record the poison of ${key}`);
    }
  }
}
