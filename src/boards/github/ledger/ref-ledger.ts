/**
 * The claim ledger: the authority on who works which issue. One chain of commits per issue
 * under `refs/<ns>/tasks/<issue>`, moved only by compare-and-swap through a transport (git's
 * own protocol or GitHub's REST API, transport.ts); one heartbeat chain per owner
 * (owners/owner-heartbeats.ts); staleness judged on this observer's own monotonic clock
 * (owners/ref-observer.ts); decisions in records/ledger-policy.ts.
 *
 * Cost over REST: `refresh` is one `GET git/matching-refs/<ns>/` plus one commit GET per task
 * tip never seen before (commits are cached by sha). `claim` and `release` are one commit POST
 * and one ref POST/PATCH each: 2 writes, no reads (the view comes from the last refresh). A
 * heartbeat is 2 writes. Over git: `refresh` is one `git ls-remote` (plus one fetch when a ref
 * moved), a write is one local `git commit-tree` and one `git push`; no REST request at all.
 */
import { randomUUID } from 'node:crypto';
import { type Logger, silentLogger } from '../../../core/logger.js';
import type { ReleaseOutcome } from '../../../core/task.js';
import { claimChain } from './ledger-claim.js';
import { type HandHold, handBeat, heldTicket } from './ledger-hands.js';
import { readListing, warnOnce } from './ledger-listing.js';
import { type ChainContext, fenceClaim, releaseClaim, renewHandClaim } from './ledger-release.js';
import { LedgerState } from './ledger-state.js';
import type {
  LedgerClaimResult,
  LedgerFenceResult,
  LedgerOptions,
  LedgerReleaseResult,
  LedgerTicket,
  LedgerWriteResult,
} from './ledger-types.js';
import { LedgerWriter } from './ledger-writer.js';
import { OwnerHeartbeats } from './owners/owner-heartbeats.js';
import { RefObserver } from './owners/ref-observer.js';
import { decide } from './records/ledger-policy.js';
import { carried } from './records/ledger-record.js';
import { LedgerRefs } from './records/ledger-refs.js';
import type { LedgerView } from './records/ledger-view.js';
import { ReviewChain } from './reviews/review-chain.js';
import { type ReviewOutcome, reviewPlan } from './reviews/review-outcome.js';
import type { LedgerTransport } from './transport.js';

export class RefLedger {
  /** Random id of this process's ledger, written into heartbeats. */
  readonly instance = randomUUID();
  private readonly git: LedgerTransport;
  private readonly refs: LedgerRefs;
  private readonly observer: RefObserver;
  private readonly heartbeats: OwnerHeartbeats;
  private readonly logger: Logger;
  private readonly state: LedgerState;
  private readonly writer: LedgerWriter;
  private readonly chains: ChainContext;
  private view: LedgerView | undefined;
  /** Bad refs already logged (`ref sha`): a warning once per sha, not every cycle. */
  private readonly warned = new Set<string>();

  constructor(private readonly opts: LedgerOptions) {
    this.logger = opts.logger ?? silentLogger();
    this.refs = new LedgerRefs(opts.namespace);
    this.git = opts.transport;
    this.observer = new RefObserver(opts.clock, opts.staleThresholdMs);
    const beats = opts.heartbeatTransport ?? this.git;
    this.heartbeats = new OwnerHeartbeats(beats, this.refs, this.observer, opts.clock, this.instance);
    this.state = new LedgerState(this.refs, this.observer, opts.staleThresholdMs, this.heartbeats);
    this.writer = new LedgerWriter(
      this.git,
      this.refs,
      this.state,
      this.observer,
      opts.clock,
      opts.onCasConflict,
    );
    this.chains = {
      git: this.git,
      refs: this.refs,
      state: this.state,
      writer: this.writer,
      logger: this.logger,
    };
  }

  /** Which transport speaks for this ledger (`git` or `rest`), and where the ledger lives. */
  get transport(): { kind: 'git' | 'rest'; where: string } {
    return { kind: this.git.kind, where: this.git.where };
  }

  /**
   * Proves the ledger can be read and commits made, before the first claim: a clear error (no
   * permission, no such remote) instead of a failed claim later.
   */
  init(): Promise<void> {
    return this.git.prepare();
  }

  /** Proves refs can be written: a probe ref created and deleted again (`doctor`). */
  probeWrite(): Promise<string> {
    return this.git.probeWrite(this.refs.namespace);
  }

  /**
   * One listing of every ledger ref, plus commit reads for task tips not seen before. A ref
   * that points at no commit (a tree, a blob, a tag) or has a foreign name is skipped with a
   * warning (once per sha) and listed in the view's problems: one bad ref never stops the fleet.
   */
  async refresh(): Promise<LedgerView> {
    const sent = this.opts.clock.monotonic();
    const listed = await this.git.listRefs(this.refs.prefix);
    const received = this.opts.clock.monotonic();
    const { listing, records, problems } = await readListing(this.git, this.refs, listed);
    const bad = new Map(problems.map((p) => [p.ref, p.reason]));
    warnOnce(this.logger, this.warned, problems);
    if (this.state.applyListing(listing, records, bad, sent, received) || !this.view) {
      this.view = { ...this.state.view(sent), problems };
    }
    return this.view;
  }

  /** The view of the last refresh (with own writes since applied at the next one). */
  lastView(): LedgerView | undefined {
    return this.view;
  }

  /** Claims `issue` for `ownerId`, deciding on the last refreshed view (refreshing if none). */
  async claim(issue: number, ownerId: string, opts: { maxRetries: number }): Promise<LedgerClaimResult> {
    if (!this.view) await this.refresh();
    return claimChain(this.chains, issue, ownerId, opts.maxRetries);
  }

  /** Claims `issue` by hand for a person, leased for `leaseMs` on each observer's clock. */
  async claimByHand(
    issue: number,
    ownerId: string,
    opts: { maxRetries: number; leaseMs: number },
  ): Promise<LedgerClaimResult> {
    if (!this.view) await this.refresh();
    return claimChain(this.chains, issue, ownerId, opts.maxRetries, { leaseMs: opts.leaseMs });
  }

  /** `ownerId`'s hand claim of `issue` in the last refreshed view (ticket and lease); null if none. */
  heldByHand(issue: number, ownerId: string): HandHold | null {
    return heldTicket(this.state, issue, ownerId);
  }

  /** Restarts a hand claim's lease (a new claim record of its attempt); fenced when taken over. */
  renewLease(ticket: LedgerTicket, leaseMs: number): Promise<LedgerFenceResult> {
    return renewHandClaim(this.chains, ticket, leaseMs);
  }

  /** One heartbeat of a person's owner ref (`hold`); false when the ref kept moving under it. */
  handBeat(ownerId: string, running: number[]): Promise<boolean> {
    const beats = this.opts.heartbeatTransport ?? this.git;
    return handBeat(beats, this.refs, this.opts.clock, ownerId, this.instance, running);
  }

  /**
   * CAS of a release on our own latest commit; fenced when the chain moved past it. Safe to call
   * again after a failure (see ledger-release.ts).
   */
  release(
    ticket: LedgerTicket,
    outcome: ReleaseOutcome,
    detail: { reason?: string; backoffMs?: number; pr?: number } = {},
  ): Promise<LedgerReleaseResult> {
    return releaseClaim(this.chains, ticket, outcome, detail);
  }

  /**
   * The holder's fence before a side effect (a push): a claim record of the same attempt, by CAS
   * on our latest commit, naming the work branch. The ticket it returns is what later writes
   * quote; fenced when the chain moved past our claim. Safe to call again after a failure.
   */
  fence(ticket: LedgerTicket, branch: string): Promise<LedgerFenceResult> {
    return fenceClaim(this.chains, ticket, branch);
  }

  /**
   * One GET of the task ref: true while its tip is our latest commit. `orOlder`: a sha the chain
   * had before that commit, which a lagging read may still show (it proves no move past ours).
   */
  async stillHolds(ticket: Pick<LedgerTicket, 'issue' | 'sha'>, orOlder?: string): Promise<boolean> {
    const tip = await this.git.tip(this.refs.task(ticket.issue));
    return tip === ticket.sha || (orOlder !== undefined && tip === orOlder);
  }

  /** The newest tip this process knows of `issue`: from listings and from its own writes. */
  knownTip(issue: number): { sha: string; epoch: number | null } | undefined {
    const tip = this.state.tips.get(issue);
    return tip && { sha: tip.sha, epoch: tip.record?.epoch ?? null };
  }

  /** Poisons `issue` whatever its tip (a live holder is fenced). No-op when already poisoned. */
  poison(issue: number, ownerId: string, reason: string): Promise<LedgerWriteResult> {
    return this.writer.rewrite(issue, (base) =>
      base?.record?.kind === 'poison'
        ? 'unchanged'
        : {
            kind: 'poison',
            owner: ownerId,
            attempt: '',
            retries: base?.retries ?? 0,
            reason,
            ...carried(base?.record),
          },
    );
  }

  /** Re-enables `issue` with retries 0 (codex:retry); refused while a live owner holds it. */
  reset(issue: number, actor: string): Promise<LedgerWriteResult> {
    return this.writer.rewrite(issue, (base) => {
      if (base === null || base.record?.kind === 'reset') return 'unchanged';
      const d = decide(this.state.facts(issue, base), this.state.judge(Number.POSITIVE_INFINITY));
      if (base.record?.kind === 'claim' && d.action === 'refuse') return { held: d.detail };
      return {
        kind: 'reset',
        owner: actor,
        attempt: '',
        retries: 0,
        reason: `reset by ${actor}`,
        ...carried(base.record),
      };
    });
  }

  /**
   * Writes a review's verdict on the issue's chain (reviews/review-outcome.ts): verified, back to
   * the queue with the review, or poisoned after the last round. Refused (`held`) when the tip
   * is no longer the release of that pull request.
   */
  recordReview(issue: number, outcome: ReviewOutcome): Promise<LedgerWriteResult> {
    return this.writer.rewrite(issue, (base) => reviewPlan(base, outcome));
  }

  /** The review chains (refs/<ns>/reviews/<pr>) over this ledger's transport and namespace. */
  reviewChain(): ReviewChain {
    return new ReviewChain({ transport: this.git, refs: this.refs, clock: this.opts.clock });
  }

  /** Appends a heartbeat to the owner's chain; OwnerCollisionError when another process writes it. */
  heartbeat(ownerId: string, running: number[]): Promise<void> {
    return this.heartbeats.beat(ownerId, running);
  }

  /** Ms since this process's last landed heartbeat of `ownerId` was sent (null: none yet). */
  sinceLastHeartbeatMs(ownerId: string): number | null {
    return this.heartbeats.sinceLastBeatMs(ownerId);
  }

  /** Seen unchanged for the stale threshold by this observer (never seen: false). */
  isOwnerStale(ownerId: string): boolean {
    return this.observer.isStale(this.refs.owner(ownerId));
  }
}
