/**
 * Hand claims on Jira (`claim`, `hold`, `renew`, `release`, `next`, `mine`): the person's claim is
 * a ledger claim record with `hand` and the lease on the issue's chain in the git ledger — the
 * same CAS, epochs and fencing as a daemon's, so a daemon never runs an issue held by hand — and
 * the Jira comment shows "held by X, by hand, until HH:MM UTC". A fresh CLI process finds the
 * claim again on the chain (RefLedger.heldByHand) and quotes its commit, so a takeover since
 * fences its renew and release. As GitHubHands on GitHub.
 */
import type { Clock } from '../../core/clock.js';
import { ClaimLostError, ClaimRefusedError, InputError } from '../../core/errors.js';
import type { ReleaseOutcome } from '../../core/task.js';
import type { HandClaim, HandClaims, HandResult } from '../../daemon/hands.js';
import type { RefLedger } from '../github/ledger/index.js';
import {
  claimedResult,
  type HandHold,
  handHoldOf,
  handHoldsOf,
  leaseEndOf,
  nextByHand,
  releasedResult,
  renewedResult,
} from '../ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';
import type { JiraMirror, JiraMirrorStatus } from './jira-mirror.js';

export interface JiraHandsOptions {
  ledger: RefLedger;
  mirror?: Pick<JiraMirror, 'show'>;
  clock: Clock;
  maxRetries: number;
  /** The issue by key or numeric id, read from Jira now; null when there is none. */
  lookup: (keyOrId: string) => Promise<JiraSnapshot | null>;
  /**
   * The best eligible issue for `agent` now, in the fleet's order: what a daemon serving that
   * capability would claim. Refreshes the board first.
   */
  nextIssue: (agent: string | null) => Promise<JiraSnapshot | null>;
  /** The person: their owner id (its ref is what `hold` beats). */
  who: { id: string };
}

const taskIdOf = (key: string) => `jira:${key}`;
const SHOWN: Record<ReleaseOutcome, JiraMirrorStatus> = {
  complete: 'done',
  failed: 'failed',
  abandoned: 'released',
};

export class JiraHands implements HandClaims {
  readonly owner: string;
  /** Issues this process read, by chain number (the key and title a claim shows). */
  private readonly known = new Map<number, JiraSnapshot>();

  constructor(private readonly o: JiraHandsOptions) {
    this.owner = o.who.id;
  }

  async claim(task: string, leaseMs: number): Promise<HandResult> {
    const issue = await this.requireIssue(task);
    const { ledger } = this.o;
    await ledger.refresh();
    const won = await ledger.claimByHand(issue.id, this.owner, { maxRetries: this.o.maxRetries, leaseMs });
    if (!won.ok) {
      const yours = won.holder === this.owner ? ' — yours already: keep it with renew or hold' : '';
      throw new ClaimRefusedError(
        `Cannot claim ${issue.key}: ${won.detail}${yours}.`,
        won.reason,
        won.holder ?? null,
      );
    }
    const claim = this.show(issue, won.ticket.epoch, won.ticket.retries, this.o.clock.now() + leaseMs);
    return claimedResult(issue.key, claim, won.tookOverFrom);
  }

  async held(task: string): Promise<HandClaim> {
    const issue = await this.requireIssue(task);
    return this.claimOf(issue, await this.holdOf(issue));
  }

  async beat(claim: HandClaim): Promise<HandClaim> {
    const id = claim.issue!;
    await this.o.ledger.handBeat(this.owner, [id]);
    const issue = this.known.get(id) ?? (await this.requireIssue(String(id)));
    const hold = await this.holdOf(issue);
    // Renewed from elsewhere (another terminal's `renew`): still ours, with a new lease.
    return hold.ticket.epoch !== claim.epoch ? this.claimOf(issue, hold) : claim;
  }

  async renew(task: string, leaseMs?: number): Promise<HandResult> {
    const issue = await this.requireIssue(task);
    const hold = await this.holdOf(issue);
    const lease = leaseMs ?? hold.leaseMs;
    const renewed = await this.o.ledger.renewLease(hold.ticket, lease);
    if (!renewed.ok)
      throw new ClaimLostError(`${this.owner} lost ${issue.key}: ${renewed.reason}.`, 'taken-over');
    const t = renewed.ticket;
    const claim = this.show(issue, t.epoch, t.retries, this.o.clock.now() + lease);
    return renewedResult(issue.key, claim);
  }

  async release(task: string, outcome: ReleaseOutcome, pr?: number): Promise<HandResult> {
    const issue = await this.requireIssue(task);
    const { ticket } = await this.holdOf(issue);
    const done = await this.o.ledger.release(ticket, outcome, pr ? { pr } : {});
    if (!done.ok) throw new ClaimLostError(`${this.owner} lost ${issue.key}: ${done.reason}.`, 'taken-over');
    this.o.mirror?.show(issue, SHOWN[outcome], {
      owner: this.owner,
      attempt: ticket.retries + 1,
      epoch: done.epoch,
    });
    return releasedResult(issue.key, taskIdOf(issue.key), outcome, pr);
  }

  async next(agent: string | null, leaseMs?: number): Promise<HandResult> {
    const issue = await this.o.nextIssue(agent);
    const shown = issue && { ...issue, name: issue.key, task: taskIdOf(issue.key) };
    return nextByHand(agent, leaseMs, shown, (lease) => this.claim(issue!.key, lease));
  }

  async mine(): Promise<HandClaim[]> {
    const held: HandClaim[] = [];
    for (const { chain, hold } of await handHoldsOf(this.o.ledger, this.owner)) {
      const issue = this.known.get(chain) ?? (await this.o.lookup(String(chain)));
      if (issue) held.push(this.claimShown(issue, hold.ticket.epoch, leaseEndOf(hold)));
    }
    return held;
  }

  async close(): Promise<void> {}

  private holdOf(issue: JiraSnapshot): Promise<HandHold> {
    return handHoldOf(this.o.ledger, issue.id, this.owner, issue.key);
  }

  /** The claimer's clock: the holder's own, for `hold` to stop by and for humans. */
  private claimOf(issue: JiraSnapshot, hold: HandHold): HandClaim {
    return this.claimShown(issue, hold.ticket.epoch, leaseEndOf(hold));
  }

  private claimShown(issue: JiraSnapshot, epoch: number, leaseUntil: number | null): HandClaim {
    return {
      task: taskIdOf(issue.key),
      issue: issue.id,
      title: issue.title,
      owner: this.owner,
      epoch,
      leaseUntil,
    };
  }

  /** Mirrors the claim record now at the tip: "held by …, by hand, until …". */
  private show(issue: JiraSnapshot, epoch: number, retries: number, until: number): HandClaim {
    const hand = { until: new Date(until).toISOString() };
    this.o.mirror?.show(issue, 'claimed', { owner: this.owner, attempt: retries + 1, epoch, hand });
    return this.claimShown(issue, epoch, until);
  }

  /** `OPS-12`, `jira:OPS-12` (any case) or a numeric issue id, naming an issue that exists. */
  private async requireIssue(task: string): Promise<JiraSnapshot> {
    const ref = task.trim().replace(/^jira:/i, '');
    if (!/^(?:[A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/.test(ref))
      throw new InputError(`"${task}" is not a Jira issue key: give it as OPS-12 (or jira:OPS-12).`);
    const issue = await this.o.lookup(ref.toUpperCase());
    if (!issue) throw new InputError(`No Jira issue ${ref.toUpperCase()}: check the key.`);
    this.known.set(issue.id, issue);
    return issue;
  }
}
