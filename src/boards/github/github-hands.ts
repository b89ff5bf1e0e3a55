import type { Clock } from '../../core/clock.js';
import { ClaimLostError, ClaimRefusedError, InputError } from '../../core/errors.js';
import type { ReleaseOutcome } from '../../core/task.js';
import type { HandClaim, HandClaims, HandResult } from '../../daemon/hands.js';
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
import type { GitHubClient } from './http/index.js';
import { GitHubNotFoundError } from './http/index.js';
import { type IssueSnapshot, type IssueStore, type RawIssue, toSnapshot } from './issues/index.js';
import type { RefLedger } from './ledger/index.js';
import type { BoardMirror } from './mirror/index.js';

export interface GitHubHandsOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  ledger: RefLedger;
  mirror: Pick<BoardMirror, 'ledgerWrite' | 'show'>;
  clock: Clock;
  maxRetries: number;
  taskId: (issue: number) => string;
  /**
   * Where the issue read here is kept: the mirror swaps the daemon label from its labels (a
   * CLI process never synced issues).
   */
  issues: Pick<IssueStore, 'put'>;
  /**
   * The best eligible issue for `agent` now, in the fleet's order (priority, then number): what
   * a daemon serving that capability would claim. Refreshes the board first.
   */
  nextIssue: (agent: string | null) => Promise<IssueSnapshot | null>;
  /** The person: their owner id (its ref is what `hold` beats). */
  who: { id: string };
}

/**
 * Hand claims on GitHub: the person's claim is a ledger claim record with `hand` and the lease
 * (same CAS, epochs and fencing as a daemon's), shown in the state comment as held by hand.
 * A fresh CLI process finds the claim again on the chain (RefLedger.heldByHand) and quotes its
 * commit, so a takeover since fences its renew and release.
 */
export class GitHubHands implements HandClaims {
  readonly owner: string;
  private readonly titles = new Map<number, string>();

  constructor(private readonly o: GitHubHandsOptions) {
    this.owner = o.who.id;
  }

  async claim(task: string, leaseMs: number): Promise<HandResult> {
    const issue = await this.requireIssue(task);
    const { ledger, mirror } = this.o;
    await ledger.refresh();
    const won = await mirror.ledgerWrite(() =>
      ledger.claimByHand(issue, this.owner, { maxRetries: this.o.maxRetries, leaseMs }),
    );
    if (!won.ok) {
      const yours = won.holder === this.owner ? ' — yours already: keep it with renew or hold' : '';
      throw new ClaimRefusedError(
        `Cannot claim #${issue}: ${won.detail}${yours}.`,
        won.reason,
        won.holder ?? null,
      );
    }
    const claim = this.show(
      issue,
      won.ticket.epoch,
      won.ticket.retries,
      this.o.clock.now() + leaseMs,
      won.ticket,
    );
    return claimedResult(`#${issue}`, claim, won.tookOverFrom);
  }

  async held(task: string): Promise<HandClaim> {
    const issue = await this.requireIssue(task);
    return this.claimOf(issue, await this.holdOf(issue));
  }

  async beat(claim: HandClaim): Promise<HandClaim> {
    const issue = claim.issue!;
    await this.o.ledger.handBeat(this.owner, [issue]);
    const hold = await this.holdOf(issue);
    if (hold.ticket.epoch !== claim.epoch) {
      // Renewed from elsewhere (another terminal's `renew`): still ours, with a new lease.
      return this.claimOf(issue, hold);
    }
    return claim;
  }

  async renew(task: string, leaseMs?: number): Promise<HandResult> {
    const issue = await this.requireIssue(task);
    const hold = await this.holdOf(issue);
    const lease = leaseMs ?? hold.leaseMs;
    const renewed = await this.o.mirror.ledgerWrite(() => this.o.ledger.renewLease(hold.ticket, lease));
    if (!renewed.ok)
      throw new ClaimLostError(`${this.owner} lost #${issue}: ${renewed.reason}.`, 'taken-over');
    const t = renewed.ticket;
    const claim = this.show(issue, t.epoch, t.retries, this.o.clock.now() + lease, t);
    return renewedResult(`#${issue}`, claim);
  }

  async release(task: string, outcome: ReleaseOutcome, pr?: number): Promise<HandResult> {
    const issue = await this.requireIssue(task);
    const { ticket } = await this.holdOf(issue);
    const done = await this.o.mirror.ledgerWrite(() =>
      this.o.ledger.release(ticket, outcome, pr ? { pr } : {}),
    );
    if (!done.ok) throw new ClaimLostError(`${this.owner} lost #${issue}: ${done.reason}.`, 'taken-over');
    const label = outcome === 'complete' ? 'done' : outcome === 'failed' ? 'failed' : null;
    const after = { ...ticket, sha: done.sha, epoch: done.epoch };
    const facts = {
      taskId: this.o.taskId(issue),
      attempt: ticket.retries + 1,
      claimedAt: this.o.clock.now(),
      localEpoch: done.epoch,
    };
    this.o.mirror.show(facts, after, label, { outcome, ...(pr ? { pr } : {}) });
    return releasedResult(`#${issue}`, this.o.taskId(issue), outcome, pr);
  }

  async next(agent: string | null, leaseMs?: number): Promise<HandResult> {
    const issue = await this.o.nextIssue(agent);
    const shown = issue && {
      name: `#${issue.number}`,
      task: this.o.taskId(issue.number),
      title: issue.title,
      agent: issue.agent,
      priority: issue.priority,
    };
    return nextByHand(agent, leaseMs, shown, (lease) => this.claim(String(issue!.number), lease));
  }

  async mine(): Promise<HandClaim[]> {
    return (await handHoldsOf(this.o.ledger, this.owner)).map(({ chain, hold }) => this.claimOf(chain, hold));
  }

  async close(): Promise<void> {}

  /** The person's hand claim of `issue` on the freshly read chain, or why there is none. */
  private holdOf(issue: number): Promise<HandHold> {
    return handHoldOf(this.o.ledger, issue, this.owner, `#${issue}`);
  }

  private claimOf(issue: number, hold: HandHold): HandClaim {
    return {
      task: this.o.taskId(issue),
      issue,
      title: this.titles.get(issue) ?? '',
      owner: this.owner,
      epoch: hold.ticket.epoch,
      // The claimer's clock: the holder's own, for `hold` to stop by and for humans.
      leaseUntil: leaseEndOf(hold),
    };
  }

  /** Mirrors the claim record now at the tip: "held by …, by hand, until …". */
  private show(
    issue: number,
    epoch: number,
    retries: number,
    until: number,
    ticket: Parameters<BoardMirror['show']>[1],
  ): HandClaim {
    const taskId = this.o.taskId(issue);
    const facts = { taskId, attempt: retries + 1, claimedAt: this.o.clock.now(), localEpoch: epoch };
    this.o.mirror.show(facts, ticket, 'claimed', { hand: { until: new Date(until).toISOString() } });
    return {
      task: taskId,
      issue,
      title: this.titles.get(issue) ?? '',
      owner: this.owner,
      epoch,
      leaseUntil: until,
    };
  }

  /** `12`, `#12` or `owner/repo#12`, naming an issue (not a pull request) that exists. */
  private async requireIssue(task: string): Promise<number> {
    const { client, owner, repo } = this.o;
    const match = /^(?:[\w.-]+\/[\w.-]+)?#?(\d+)$/.exec(task.trim());
    if (!match) throw new InputError(`"${task}" is not an issue number (12, #12 or owner/repo#12).`);
    const issue = Number(match[1]);
    let data: Awaited<ReturnType<GitHubClient['rest']['issues']['get']>>['data'];
    try {
      ({ data } = await client.rest.issues.get({ owner, repo, issue_number: issue }));
    } catch (error) {
      if (error instanceof GitHubNotFoundError)
        throw new InputError(`No issue #${issue} in ${owner}/${repo}: check the number.`);
      throw error;
    }
    if (data.pull_request)
      throw new InputError(`#${issue} in ${owner}/${repo} is a pull request, not an issue.`);
    // Kept where the mirror reads the issue's labels (it swaps the daemon label from them).
    const snapshot = toSnapshot(data as RawIssue, { owner, repo });
    this.o.issues.put(snapshot);
    this.titles.set(issue, snapshot.title);
    return issue;
  }
}
