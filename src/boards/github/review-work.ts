/**
 * The GitHub board's review work (propose → verify → apply), run beside the daemon's attempts
 * through the Board's `sideWork` hook: after each refresh, the delivered and unverified pull
 * requests of the ledger's listing (reviewCandidates) are tried one at a time, oldest first,
 * until one round does something — a round that is skipped (held by a live reviewer, waiting
 * for the author, the author's own owner) costs one tip read and moves on.
 */
import type { Logger } from '../../core/logger.js';
import type { GitHubClient } from './http/index.js';
import type { IssueStore } from './issues/index.js';
import { type RefLedger, type ReviewTicket, reviewCandidates } from './ledger/index.js';
import { PullReviews } from './pulls/index.js';
import type { ReviewPromptInput } from './review-files.js';
import { ReviewLease } from './review-lease.js';
import {
  type ReviewAgent,
  type ReviewRoundContext,
  type ReviewRoundResult,
  runReviewRound,
} from './review-round.js';

/** What the reviewing agent is told of a claimed review: the prompt's facts and the head branch. */
export type ReviewSubject = Omit<ReviewPromptInput, 'diffFile' | 'round'> & { head: string };

/** Made where executors and git meet (cli/open/open-review.ts): the agent of one round. */
export type ReviewAgentFactory = (
  describe: (ticket: ReviewTicket) => Promise<ReviewSubject>,
  signal: AbortSignal,
) => ReviewAgent;

export interface ReviewWorkOptions {
  /** REVIEW_MAX_ROUNDS. */
  maxRounds: number;
  /** Logins of the fleet besides this token's own (their reviews are agents', not a person's). */
  fleetLogins?: readonly string[];
  agent: ReviewAgentFactory;
  /**
   * SHARED_STATE_RENEW_DEADLINE_MS: a round whose owner's heartbeat has not landed for this long
   * fences itself (review-lease.ts).
   */
  renewDeadlineMs: number;
  /** Every round's result (events, metrics, tests). */
  onResult?: (pr: number, result: ReviewRoundResult) => void;
}

export interface ReviewWorkDeps {
  client: GitHubClient;
  owner: string;
  repo: string;
  ledger: RefLedger;
  issues: IssueStore;
  reviewer: string;
  logger: Logger;
  /** The issue chain got a verdict from this process: mirror it now (labels, state comment). */
  mirrorNow(issue: number): Promise<void>;
  /** Beats this owner's heartbeat now (with what its attempts hold): a round starts renewed. */
  renew(): Promise<void>;
}

export class ReviewWork {
  private readonly reviews: PullReviews;
  private readonly chain;
  private fleet: Set<string> | null = null;
  /** A round is under way: the owner's heartbeat must keep beating (its liveness is the claim's). */
  busy = false;

  constructor(
    private readonly d: ReviewWorkDeps,
    private readonly o: ReviewWorkOptions,
  ) {
    this.reviews = new PullReviews(d.client, d.owner, d.repo);
    this.chain = d.ledger.reviewChain();
  }

  /** One pass over the candidates; stops at the first round that did something. */
  async run(signal: AbortSignal): Promise<void> {
    this.busy = true;
    try {
      await this.pass(signal);
    } finally {
      this.busy = false;
    }
  }

  private async pass(signal: AbortSignal): Promise<void> {
    const view = this.d.ledger.lastView();
    if (!view) return;
    for (const candidate of reviewCandidates(view, this.d.reviewer)) {
      if (signal.aborted) return;
      await this.renewIfDue();
      const lease = new ReviewLease(
        { sinceLastBeatMs: () => this.d.ledger.sinceLastHeartbeatMs(this.d.reviewer), ...this.o },
        signal,
      );
      let result: ReviewRoundResult;
      try {
        const agent = this.o.agent((t) => this.describe(t), lease.signal);
        result = await runReviewRound({ ...(await this.context()), lease }, candidate, agent);
      } finally {
        lease.close();
      }
      this.o.onResult?.(candidate.pr, result);
      if (result.kind === 'skipped') continue;
      if (result.kind === 'posted' || result.kind === 'human') await this.d.mirrorNow(candidate.issue);
      const level = ['failed', 'not-posted', 'self-fenced'].includes(result.kind) ? 'warn' : 'info';
      this.d.logger[level](
        { pr: candidate.pr, issue: candidate.issue, ...result },
        `review of #${candidate.pr}: ${result.kind}`,
      );
      return;
    }
  }

  /**
   * An idle owner writes no heartbeats (GitHubBoard.heartbeat): a round about to claim beats
   * first, so that it starts with a whole renew deadline and others see its owner move.
   */
  private async renewIfDue(): Promise<void> {
    const since = this.d.ledger.sinceLastHeartbeatMs(this.d.reviewer);
    if (since === null || since > this.o.renewDeadlineMs / 2) await this.d.renew();
  }

  private async context(): Promise<ReviewRoundContext> {
    const { client, owner, repo } = this.d;
    return {
      chain: this.chain,
      ledger: this.d.ledger,
      reviews: this.reviews,
      pull: async (n) => {
        const { data } = await client.rest.pulls.get({ owner, repo, pull_number: n });
        return {
          open: data.state === 'open',
          draft: data.draft === true,
          headSha: data.head.sha,
          nodeId: data.node_id,
        };
      },
      reviewer: this.d.reviewer,
      fleetLogins: await this.fleetLogins(),
      maxRounds: this.o.maxRounds,
      isOwnerStale: (id) => this.d.ledger.isOwnerStale(id),
    };
  }

  /** This token's login (one GET /user, then kept) and the configured ones. */
  private async fleetLogins(): Promise<Set<string>> {
    if (this.fleet) return this.fleet;
    const logins = new Set(this.o.fleetLogins ?? []);
    try {
      const { data } = await this.d.client.rest.users.getAuthenticated();
      logins.add(data.login);
    } catch (error) {
      // An app installation token has no user: its bot login is configured (or its reviews count
      // as nobody's — an app is never OWNER/MEMBER/COLLABORATOR of a repository).
      this.d.logger.debug({ err: error }, 'GET /user failed: the fleet logins are the configured ones');
    }
    this.fleet = logins;
    return logins;
  }

  /** The prompt's facts of a claimed review: the pull request (one GET) and the issue as synced. */
  private async describe(ticket: ReviewTicket): Promise<ReviewSubject> {
    const { client, owner, repo } = this.d;
    const { data } = await client.rest.pulls.get({ owner, repo, pull_number: ticket.pr });
    const issue = this.d.issues.get(ticket.issue);
    return {
      pr: {
        number: data.number,
        title: data.title,
        url: data.html_url,
        body: data.body ?? null,
        base: data.base.ref,
      },
      issue: { number: ticket.issue, title: issue?.title ?? `#${ticket.issue}`, body: issue?.body ?? '' },
      head: data.head.ref,
    };
  }
}
