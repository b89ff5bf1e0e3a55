/**
 * What one observer knows about the ledger: the latest tip of each task chain (from listings
 * and from its own writes), when it saw each ref change (RefObserver), and the attempts it
 * wrote. Turns that into the inputs of ledger-policy.ts and into the LedgerView.
 */
import type { TipBase } from './ledger-chain.js';
import type { OwnerHeartbeats } from './owners/owner-heartbeats.js';
import type { RefObserver } from './owners/ref-observer.js';
import { decide, type Judge, type TipFacts } from './records/ledger-policy.js';
import { belongsTo, type TaskRecord } from './records/ledger-record.js';
import type { LedgerRefs } from './records/ledger-refs.js';
import {
  badTaskView,
  type LedgerOwnerView,
  type LedgerTaskView,
  type LedgerView,
  taskView,
} from './records/ledger-view.js';

export interface Tip {
  sha: string;
  record: TaskRecord | null;
  /** Monotonic time we learnt it: a listing requested earlier must not replace it. */
  at: number;
  /** Why the tip is unusable (no commit at all): the issue is skipped. */
  bad?: string;
}

export class LedgerState {
  readonly tips = new Map<number, Tip>();
  /** Attempt ids this process wrote (claims whose answers may have been lost included). */
  readonly attempts = new Set<string>();
  private lastListing = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly refs: LedgerRefs,
    private readonly observer: RefObserver,
    private readonly staleThresholdMs: number,
    private readonly heartbeats: Pick<OwnerHeartbeats, 'isVerified'>,
  ) {}

  /**
   * Applies a listing requested at `sent` and answered at `received`, with the records of its
   * task tips. Returns false (nothing applied) when a newer listing was applied already.
   */
  applyListing(
    listing: ReadonlyMap<string, string>,
    records: ReadonlyMap<string, TaskRecord | null>,
    /** Why a listed ref (by full name) is unusable. */
    bad: ReadonlyMap<string, string>,
    sent: number,
    received: number,
  ): boolean {
    if (sent < this.lastListing) return false;
    this.lastListing = sent;
    this.observer.observeListing(`refs/${this.refs.prefix}`, listing, sent, received);
    const listed = new Map<number, string>();
    const reasons = new Map<number, string>();
    for (const [ref, sha] of listing) {
      const parsed = this.refs.parse(ref);
      if (parsed?.kind !== 'task') continue;
      listed.set(parsed.issue, sha);
      const reason = bad.get(ref);
      if (reason !== undefined) reasons.set(parsed.issue, reason);
    }
    for (const [issue, tip] of this.tips) if (!listed.has(issue) && tip.at < sent) this.tips.delete(issue);
    for (const [issue, sha] of listed) {
      const known = this.tips.get(issue);
      const same = known?.sha === sha && known.bad === reasons.get(issue);
      if (same || (known && known.at > sent)) continue; // unchanged, or our newer write
      // A record naming another issue was copied or misplaced: not ours here, so unknown.
      const record = belongsTo(records.get(sha) ?? null, issue);
      const reason = reasons.get(issue);
      this.tips.set(issue, { sha, record, at: received, ...(reason ? { bad: reason } : {}) });
    }
    return true;
  }

  /** Our own write landed: the chain's tip is now `sha`. */
  wrote(issue: number, sha: string, record: TaskRecord, now: number): void {
    this.tips.set(issue, { sha, record, at: now });
    this.observer.wrote(this.refs.task(issue), sha);
  }

  /** Policy inputs for a tip; a tip the observer tracks at another sha counts as just seen. */
  facts(issue: number, base: TipBase): TipFacts {
    const ref = this.refs.task(issue);
    const same = this.observer.sha(ref) === base.sha;
    return {
      record: base.record,
      retries: base.retries,
      seenForMs: same ? (this.observer.seenForMs(ref) ?? 0) : 0,
      unchangedForMs: same ? (this.observer.unchangedForMs(ref) ?? 0) : 0,
    };
  }

  judge(maxRetries: number, claimerId?: string): Judge {
    const judge: Judge = {
      staleThresholdMs: this.staleThresholdMs,
      maxRetries,
      ownerUnchangedForMs: (owner) => this.observer.unchangedForMs(this.refs.owner(owner)),
    };
    if (claimerId !== undefined) {
      judge.claimer = {
        ownerId: claimerId,
        knowsAttempt: (attempt) => this.attempts.has(attempt),
        ownerVerified: this.heartbeats.isVerified(claimerId),
      };
    }
    return judge;
  }

  view(refreshedAt: number): LedgerView {
    const judge = this.judge(Number.POSITIVE_INFINITY);
    const tasks = new Map<number, LedgerTaskView>();
    for (const [issue, tip] of this.tips) {
      if (tip.bad !== undefined) {
        tasks.set(issue, badTaskView(issue, tip.sha, tip.bad));
        continue;
      }
      const retries = tip.record?.retries ?? 0;
      const facts = this.facts(issue, { sha: tip.sha, record: tip.record, epoch: 0, retries });
      const mine = tip.record?.kind === 'claim' && this.attempts.has(tip.record.attempt);
      tasks.set(issue, taskView(issue, tip.sha, tip.record, decide(facts, judge), mine));
    }
    const owners = new Map<string, LedgerOwnerView>();
    for (const ref of this.observer.refs()) {
      const parsed = this.refs.parse(ref);
      if (parsed?.kind !== 'owner') continue;
      owners.set(parsed.ownerId, {
        ownerId: parsed.ownerId,
        sha: this.observer.sha(ref) ?? '',
        unchangedForMs: this.observer.unchangedForMs(ref) ?? 0,
        stale: this.observer.isStale(ref),
      });
    }
    return { tasks, owners, refreshedAt };
  }
}
