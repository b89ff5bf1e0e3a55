import type { ReleaseOutcome } from '../../core/task.js';
import type {
  ActiveClaim,
  Board,
  BoardRelease,
  ClaimOptions,
  HeartbeatReport,
  PendingWork,
  RefreshPace,
  ReleaseDetail,
} from '../../daemon/board.js';
import type { AttemptWorkspace, DeliveryResult } from '../../daemon/workspace.js';
import { processStartTicks } from '../../host/process-liveness.js';
import { type ClaimOrder, claimVerdicts, ledgerTicketOf, type PendingReleases } from '../ledger/index.js';
import { sweepStaleClaims } from '../orphan-reaper.js';
import { type GitHubBoardOptions, githubBoardParts } from './board-parts.js';
import { claimIssue, type IssueClaimContext } from './claim-issue.js';
import { deliverIssue } from './deliver-issue.js';
import { GitHubHands } from './github-hands.js';
import type { IssueSnapshot, IssueStore } from './issues/index.js';
import type { BoardMirror, Mirror, MirrorReconciler, Steering } from './mirror/index.js';
import { ensureLabels, IGNORE_LABEL } from './mirror/index.js';
import type { PullRequests } from './pulls/index.js';
import type { ReleaseKeeper } from './release-keeper.js';
import type { ReviewWork } from './review-work.js';

export type { GitHubBoardOptions } from './board-parts.js';

/**
 * GitHub issues as the board. The ref ledger is the authority; the local shared state is
 * this workstation's conflict check (two local daemons never race on GitHub for one issue)
 * and its audit log; labels and the state comment are the human mirror, written behind.
 */
export class GitHubBoard implements Board {
  readonly name = 'github';
  readonly issues: IssueStore;
  readonly mirror: Mirror;
  readonly steering: Steering;
  /** Issues of the claims this process's attempts hold (task id → issue), until settled. */
  private readonly running = new Map<string, number>();
  private readonly shown: BoardMirror;
  private readonly releases: ReleaseKeeper;
  private readonly reconciler: MirrorReconciler;
  private readonly pendingReleases: PendingReleases;
  private readonly order: ClaimOrder<IssueSnapshot>;
  private readonly claiming: IssueClaimContext;
  private readonly pulls: PullRequests;
  /** Set once registered: the reconciler repairs on behalf of a registered owner only. */
  private registered = false;
  private lastPace: RefreshPace = { changed: false, minIntervalMs: 0 };
  private readonly reviewing: ReviewWork | null;
  /** Reviews of the fleet's pull requests, when configured (Board.sideWork). */
  readonly sideWork?: (signal: AbortSignal) => Promise<void>;

  constructor(private readonly o: GitHubBoardOptions) {
    const parts = githubBoardParts(o, {
      taskId: (n) => this.taskId(n),
      heldIssues: () => this.heldIssues(),
      settled: (taskId) => this.running.delete(taskId),
    });
    ({
      issues: this.issues,
      shown: this.shown,
      steering: this.steering,
      pendingReleases: this.pendingReleases,
      pulls: this.pulls,
      releases: this.releases,
      order: this.order,
      claiming: this.claiming,
      reconciler: this.reconciler,
      reviewing: this.reviewing,
    } = parts);
    this.mirror = this.shown.mirror;
    const review = this.reviewing;
    if (review) this.sideWork = (signal) => review.run(signal);
  }

  taskId(issue: number): string {
    return `${this.o.owner}/${this.o.repo}#${issue}`;
  }

  /** Hand claims for a person through this board's ledger and mirror (github-hands.ts). */
  handsFor(who: { id: string }): GitHubHands {
    return new GitHubHands({
      ...this.o,
      mirror: this.shown,
      issues: this.issues,
      nextIssue: async (agent) => {
        await this.refresh(new AbortController().signal);
        return this.order.assess(agent).candidates[0] ?? null;
      },
      who,
      taskId: (n) => this.taskId(n),
    });
  }

  async register(): Promise<void> {
    const owner = this.o.self;
    this.registered = true;
    this.o.store.owners.register(owner, null);
    await this.o.ledger.init(); // proves contents: write, with a clear error if not
    const created = await ensureLabels(this.o.client, this.o.owner, this.o.repo);
    if (created.length) this.o.logger.info({ labels: created }, 'created the codex:* labels');
    // A first beat: a live daemon elsewhere under the same owner id shows as a collision.
    await this.o.ledger.heartbeat(owner.id, []);
  }

  async unregister(): Promise<void> {
    // The mirror is flushed by close(), once: shutdown must stay within its failsafe.
    this.o.store.owners.unregister(this.o.self);
  }

  async refresh(signal: AbortSignal): Promise<string[]> {
    const { changed, pulls, gone, pollIntervalMs } = await this.o.sync.pull(signal, this.issues.all);
    this.lastPace = { changed: changed.length + gone.length > 0, minIntervalMs: pollIntervalMs ?? 0 };
    for (const n of gone) this.issues.remove(n);
    for (const pull of pulls) this.issues.putPull(pull);
    for (const issue of changed) {
      this.issues.put(issue);
      this.o.store.defineTask(this.taskId(issue.number), {
        source: 'github',
        title: issue.title,
        agent: issue.agent,
        priority: issue.priority,
      });
    }
    // Steering first: a codex:retry reset must be in the view this cycle claims from.
    await this.steering.apply(changed);
    await this.o.readyGate?.refresh(signal);
    let view = await this.o.ledger.refresh();
    // Releases an attempt (or an earlier run) could not record: before anything else of ours;
    // what they settle must be in the view this cycle claims from.
    if ((await this.releases.retryPending()) > 0) view = await this.o.ledger.refresh();
    if (this.registered) {
      const held = this.heldIssues();
      // Cards in the wrong column are marked for the reconciler (a paced read every few minutes).
      await this.o.project?.audit(view, this.o.maxRetries, signal);
      this.reconciler.cycle(view, { ownerId: this.o.self.id, holds: (n) => held.has(n) });
    }
    // A crashed daemon's attempts still running here are stopped before their claims expire.
    return (await sweepStaleClaims(this.o.store, signal)).map((s) => s.taskId);
  }

  pace(): RefreshPace {
    return this.lastPace;
  }

  /** Issues this process holds: running attempts, and releases not yet recorded. */
  private heldIssues(): Set<number> {
    const held = new Set(this.running.values());
    for (const p of this.pendingReleases.all()) held.add(p.ledger.issue);
    return held;
  }

  async claimNext({ purpose, signal }: ClaimOptions): Promise<ActiveClaim | null> {
    // A few candidates per call: a lost race moves on to the next instead of waiting a cycle.
    for (const issue of this.order.candidates(this.o.agent, this.o.self.id, purpose).slice(0, 3)) {
      if (signal.aborted) return null;
      const id = this.taskId(issue.number);
      const claimed = await claimIssue(this.claiming, id, issue);
      if (!claimed) continue;
      this.running.set(id, issue.number);
      return claimed;
    }
    return null;
  }

  async started(claim: ActiveClaim): Promise<void> {
    this.o.store.recordStart(claim.ticket);
  }

  spawned(claim: ActiveClaim, pid: number): void {
    this.o.store.recordProcess(claim.ticket, pid, processStartTicks(pid));
  }

  async heartbeat(claims: readonly ActiveClaim[]): Promise<HeartbeatReport> {
    const owner = this.o.self;
    this.o.store.heartbeat(owner);
    // A release not yet recorded still holds its claim: keep it alive until the release lands.
    const unreleased = this.pendingReleases.all().map((p) => p.ledger.issue);
    const idle = claims.length === 0 && unreleased.length === 0 && !this.reviewing?.busy;
    if (idle) return { lost: [], ignored: [] }; // no writes
    const running = claims.flatMap((c) => ledgerTicketOf(c)?.issue ?? []);
    await this.o.ledger.heartbeat(owner.id, [...new Set([...running, ...unreleased])]);
    return claimVerdicts(claims, this.o.ledger.lastView(), {
      label: IGNORE_LABEL,
      labelsOf: (n) => this.issues.get(n)?.labels,
    });
  }

  /**
   * Gives the claim back. The release is kept (kv) until the ledger takes it or proves the claim
   * lost, so a failure here is retried — by the attempt, then every cycle, and after a restart.
   */
  release(
    claim: ActiveClaim,
    outcome: ReleaseOutcome,
    detail: ReleaseDetail,
    signal: AbortSignal,
  ): Promise<BoardRelease> {
    // Aborted (a forced stop) before it is recorded: kept nowhere, the claim expires as stale.
    if (signal.aborted) return Promise.reject(signal.reason);
    return this.releases.release(claim, outcome, detail);
  }

  deliver(
    claim: ActiveClaim,
    workspace: AttemptWorkspace,
    summary: string | null,
    signal: AbortSignal,
  ): Promise<DeliveryResult> {
    const pullRequests = this.o.pullRequests ?? { draft: false, labels: [] };
    const ctx = { ...this.o, mirror: this.shown, pulls: this.pulls, pullRequests };
    return deliverIssue(ctx, claim, workspace, summary, signal);
  }

  async pending(): Promise<PendingWork> {
    const work = this.order.assess(this.o.agent).pending;
    // A release not yet recorded is work under way: `--until-idle` waits for it to land.
    return { ...work, held: work.held + this.releases.size };
  }

  async close(): Promise<void> {
    await this.steering.settle();
    await this.mirror.flush(5_000);
  }
}
