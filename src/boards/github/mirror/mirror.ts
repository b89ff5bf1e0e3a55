import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { GitHubClient } from '../http/index.js';
import { type DaemonLabelState, desiredLabels, labelFor, reconcileLabels } from './labels.js';
import type { MirrorState } from './state-comment/state-block.js';
import type { StateCommentStore } from './state-comment/state-comment-store.js';

/** What an issue should show humans, derived from a ledger write this process made. */
export interface MirrorTarget {
  issue: number;
  label: DaemonLabelState;
  /** null: leave the comment as it is (labels only). */
  comment: MirrorState | null;
  /** The conflict check before push: is the ledger tip still the commit this target derives from? */
  holds: () => Promise<boolean>;
  /**
   * Wait this long before writing (a transient state such as "working"): a newer target for
   * the issue within the delay replaces it, so a short attempt costs only its final mirror.
   */
  delayMs?: number;
}

export interface MirrorOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  comments: StateCommentStore;
  /** The issue's labels as last synced (updated here after our own writes). */
  labels: { get(issue: number): readonly string[]; set(issue: number, labels: string[]): void };
  logger: Logger;
  /** Delays and flush deadlines are durations: measured on the monotonic clock. */
  clock: Clock;
  /**
   * Resolves when no ledger write of this daemon is waiting: writes share one paced queue, and
   * a claim or a release must not wait behind the mirror (the mirror is behind the ledger).
   */
  ledgerIdle?: () => Promise<void>;
  /** The GitHub Projects card (GITHUB_PROJECT), moved after the labels; it never throws. */
  project?: { show(issue: number, label: DaemonLabelState, pr: number | null | undefined): Promise<void> };
}

/** A created comment is settled (twins deleted) this long after: GitHub's reads lag its writes. */
const SETTLE_AFTER_MS = 3_000;

/**
 * One issue's next write: what it should show, or — after we created its state comment — a
 * look, once reads have caught up, for a twin a racing POST left (deleted by the settle rule).
 */
type Work = { kind: 'show'; target: MirrorTarget } | { kind: 'settle'; issue: number };

interface Queued {
  work: Work;
  readyAt: number;
}

const issueOf = (work: Work): number => (work.kind === 'show' ? work.target.issue : work.issue);

/**
 * The human mirror: labels and the state comment, written behind the ledger, never instead
 * of it. Targets are queued per issue and written by one worker, paced by the client; a newer
 * target replaces one not yet written. Nothing is written once the ledger has moved on.
 */
export class Mirror {
  private readonly queue = new Map<number, Queued>();
  private worker: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private forced = false;
  /** The issue whose target is being written now. */
  private writing: number | null = null;
  /** The daemon label this process last gave each issue. */
  private readonly lastLabel = new Map<number, string>();

  constructor(private readonly options: MirrorOptions) {}

  /** A target for `issue` is queued or being written. */
  busy(issue: number): boolean {
    return this.queue.has(issue) || this.writing === issue;
  }

  /** Targets queued and not yet written. */
  get backlog(): number {
    return this.queue.size;
  }

  desire(target: MirrorTarget): void {
    const readyAt = this.options.clock.monotonic() + (target.delayMs ?? 0);
    this.queue.set(target.issue, { work: { kind: 'show', target }, readyAt });
    this.wake?.();
    this.worker ??= this.drain().finally(() => {
      this.worker = null;
    });
  }

  /** Writes everything queued now, delays or not; resolves when done (or after `timeoutMs`). */
  async flush(timeoutMs = 60_000): Promise<void> {
    this.forced = true;
    this.wake?.();
    const deadline = this.options.clock.monotonic() + timeoutMs;
    try {
      while (this.worker && this.options.clock.monotonic() < deadline) {
        await Promise.race([
          this.worker,
          new Promise((r) => setTimeout(r, Math.max(0, deadline - this.options.clock.monotonic())).unref()),
        ]);
      }
    } finally {
      this.forced = false;
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0) {
      const now = this.options.clock.monotonic();
      const ready = [...this.queue.values()].find((q) => this.forced || q.readyAt <= now);
      if (!ready) {
        const next = Math.min(...[...this.queue.values()].map((q) => q.readyAt));
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, next - now).unref();
        });
        this.wake = null;
        continue;
      }
      const issue = issueOf(ready.work);
      this.queue.delete(issue);
      this.writing = issue;
      try {
        if (ready.work.kind === 'settle') await this.options.comments.settle(issue);
        else await this.write(ready.work.target);
      } catch (error) {
        this.options.logger.warn({ err: error, issue }, 'mirror write failed; the reconciler repairs it');
      } finally {
        this.writing = null;
      }
    }
  }

  private async write(target: MirrorTarget): Promise<void> {
    const { client, owner, repo, comments, labels, logger } = this.options;
    await this.options.ledgerIdle?.();
    if (!(await target.holds())) {
      logger.debug({ issue: target.issue }, 'mirror skipped: the ledger has moved past this write');
      return;
    }
    // The ledger check above is the conflict check for both writes; it is one round trip old.
    // The comment goes first: labels that show the tip then mean the whole mirror was written,
    // so a fleet can judge an issue's mirror by its labels alone (see mirror-reconcile.ts).
    if (target.comment !== null) {
      await comments.upsert(target.issue, target.comment, { stillHolds: async () => true });
    }
    // A sync whose read lags behind our own last label write shows the issue without that
    // label: it is there unless someone removed it since (then removing it again is a no-op).
    const synced = labels.get(target.issue);
    const mine = this.lastLabel.get(target.issue);
    const current = mine && !synced.some((l) => l.toLowerCase() === mine) ? [...synced, mine] : synced;
    await reconcileLabels(client, owner, repo, target.issue, current, target.label);
    labels.set(target.issue, desiredLabels(current, target.label));
    const shown = labelFor(target.label);
    if (shown === null) this.lastLabel.delete(target.issue);
    else this.lastLabel.set(target.issue, shown.toLowerCase());
    await this.options.project?.show(target.issue, target.label, target.comment?.pr);
    // A comment just created may have a racing twin: look again once reads have caught up.
    if (comments.inDoubt(target.issue) && !this.queue.has(target.issue)) {
      const readyAt = this.options.clock.monotonic() + SETTLE_AFTER_MS;
      this.queue.set(target.issue, { work: { kind: 'settle', issue: target.issue }, readyAt });
    }
  }
}
