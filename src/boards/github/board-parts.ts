/**
 * The GitHub board's collaborators, wired once from its options: the issue store, the mirror
 * and its reconciler, steering, the release keeper with its pending releases, the claim order
 * and context, pull requests and the fleet's reviews. The board (github-board.ts) is what the
 * daemon calls; this is what it is made of. `board` gives the few things only the board knows:
 * its task ids, the issues this process holds, and that a release settled.
 */
import type { BackoffPolicy } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity } from '../../core/task.js';
import type { SharedState } from '../../state/shared-state.js';
import { type ClaimOrder, PendingReleases, pendingReleasesNamespace } from '../ledger/index.js';
import type { BoardNotices } from './board-notices.js';
import type { IssueClaimContext } from './claim-issue.js';
import { issueClaimOrder } from './claim-order.js';
import type { GitHubClient } from './http/index.js';
import type { IssueSnapshot, IssueSync, TrustPolicy } from './issues/index.js';
import { IssueStore, type IssueTaskOptions, issueTask } from './issues/index.js';
import type { RefLedger } from './ledger/index.js';
import type { StateCommentStore } from './mirror/index.js';
import { BoardMirror, MirrorReconciler, Steering } from './mirror/index.js';
import type { ProjectMirror, ReadyGate } from './project/index.js';
import { PullRequests, PullReviews } from './pulls/index.js';
import { ReleaseKeeper } from './release-keeper.js';
import { ReviewWork, type ReviewWorkOptions } from './review-work.js';

export interface GitHubBoardOptions extends IssueTaskOptions {
  client: GitHubClient;
  ledger: RefLedger;
  sync: IssueSync;
  comments: StateCommentStore;
  store: SharedState;
  clock: Clock;
  logger: Logger;
  policy: TrustPolicy;
  maxRetries: number;
  backoff: BackoffPolicy;
  random?: () => number;
  /** The daemon this board is opened for (`owner` above is the repository's owner). */
  self: OwnerIdentity;
  /** Only issues for this capability (null: any). */
  agent: string | null;
  /** Set when attempts work in worktrees: their work is delivered as pull requests (PR_DRAFT, PR_LABELS). */
  pullRequests?: { draft: boolean; labels: string[] };
  /** Notifications, raised where this process writes the ledger record (board-notices.ts). */
  notices?: BoardNotices;
  /** Set when this daemon reviews the fleet's pull requests (REVIEW_EXECUTOR): review-work.ts. */
  review?: ReviewWorkOptions;
  /** GITHUB_PROJECT: the card mirror (moved by the mirror's worker after the labels). */
  project?: ProjectMirror;
  /** PROJECT_READY_STATUS: only issues whose card is in that column start; read once per cycle. */
  readyGate?: ReadyGate;
}

/** What only the board knows, for the collaborators that call back into it. */
export interface BoardHooks {
  taskId(issue: number): string;
  /** Issues this process holds: running attempts, and releases not yet recorded. */
  heldIssues(): Set<number>;
  /** A release the keeper settled (landed, or proven lost): the attempt no longer holds it. */
  settled(taskId: string): void;
}

export interface GitHubBoardParts {
  issues: IssueStore;
  shown: BoardMirror;
  steering: Steering;
  pendingReleases: PendingReleases;
  pulls: PullRequests;
  releases: ReleaseKeeper;
  order: ClaimOrder<IssueSnapshot>;
  claiming: IssueClaimContext;
  reconciler: MirrorReconciler;
  /** Reviews of the fleet's pull requests, when configured (Board.sideWork). */
  reviewing: ReviewWork | null;
}

export function githubBoardParts(o: GitHubBoardOptions, board: BoardHooks): GitHubBoardParts {
  const taskId = (n: number) => board.taskId(n);
  const issues = new IssueStore(o.store.kv, `${o.owner}/${o.repo}`);
  const shown = new BoardMirror({ ...o, labels: issues.labels });
  const steering = new Steering({
    ...o,
    issues,
    mirror: shown.mirror,
    taskId,
    ...(o.notices ? { onPoisoned: o.notices.poisoned.bind(o.notices) } : {}),
  });
  const repository = `${o.owner}/${o.repo}`;
  const pendingReleases = new PendingReleases(o.store.kv, pendingReleasesNamespace({ github: repository }));
  const pulls = new PullRequests(o);
  const releases = new ReleaseKeeper({
    ...o,
    mirror: shown,
    steering,
    pending: pendingReleases,
    pulls,
    onSettled: (id) => board.settled(id),
  });
  const order = issueClaimOrder({ ...o, issues, taskId, held: () => board.heldIssues() });
  const claiming: IssueClaimContext = {
    ...o,
    mirror: shown,
    steering,
    task: (id, issue, answering) => issueTask(o, id, issue, answering),
    reviewText: (pr, reviewId) => new PullReviews(o.client, o.owner, o.repo).body(pr, reviewId),
    delivers: o.pullRequests !== undefined,
  };
  const reconciler = new MirrorReconciler({
    ...o,
    mirror: shown,
    labels: (n) => issues.get(n)?.labels,
    comment: (n) => o.comments.remembered(n),
    ...(o.project ? { projectPending: (n: number) => o.project!.pending(n) } : {}),
  });
  // A verdict this process wrote on an issue chain is mirrored by it at once, as its writer.
  const mirrorNow = async (issue: number) => reconciler.repairNow(await o.ledger.refresh(), issue);
  const renew = () => o.ledger.heartbeat(o.self.id, [...board.heldIssues()]);
  const reviewDeps = { ...o, issues, reviewer: o.self.id, mirrorNow, renew };
  const reviewing = o.review ? new ReviewWork(reviewDeps, o.review) : null;
  return {
    issues,
    shown,
    steering,
    pendingReleases,
    pulls,
    releases,
    order,
    claiming,
    reconciler,
    reviewing,
  };
}
