import type { BackoffPolicy } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity, ReleaseOutcome } from '../../core/task.js';
import type { ActiveClaim, Board, BoardRelease, HeartbeatReport, PendingWork } from '../../daemon/board.js';
import { processStartTicks } from '../../host/process-liveness.js';
import type { SharedState } from '../../state/shared-state.js';
import { sweepStaleClaims } from '../orphan-reaper.js';
import { GITHUB_STATUS, githubStatus } from './github-status.js';
import type { GitHubClient } from './http/index.js';
import type { IssueSnapshot, IssueSync, TrustPolicy } from './issues/index.js';
import {
  assessIssues,
  type Eligibility,
  IssueStore,
  type IssueTaskOptions,
  issueTask,
  spreadOut,
} from './issues/index.js';
import type { LedgerTicket, LedgerView, RefLedger } from './ledger/index.js';
import type { Mirror, StateCommentStore } from './mirror/index.js';
import { BoardMirror, ensureLabels, factsOf, MirrorReconciler, Steering } from './mirror/index.js';
import { PendingReleases } from './pending-releases.js';
import { ReleaseKeeper } from './release-keeper.js';

/** A "working" mirror waits this long: an attempt that ends sooner is mirrored once, finished. */
const WORKING_MIRROR_DELAY_MS = 2000;

export interface GitHubBoardOptions extends IssueTaskOptions {
  client: GitHubClient;
  ledger: RefLedger;
  sync: IssueSync;
  comments: StateCommentStore;
  state: SharedState;
  clock: Clock;
  logger: Logger;
  policy: TrustPolicy;
  maxRetries: number;
  backoff: BackoffPolicy;
  random?: () => number;
}

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
  private readonly tickets = new Map<string, LedgerTicket>();
  private readonly shown: BoardMirror;
  private readonly releases: ReleaseKeeper;
  private readonly reconciler: MirrorReconciler;
  private readonly pendingReleases: PendingReleases;
  private self: string | null = null;

  constructor(private readonly o: GitHubBoardOptions) {
    this.issues = new IssueStore(o.state.kv, `${o.owner}/${o.repo}`);
    this.shown = new BoardMirror({ ...o, labels: this.issues.labels });
    this.mirror = this.shown.mirror;
    this.steering = new Steering({ ...o, issues: this.issues, taskId: (n) => this.taskId(n) });
    this.steering.mirror = this.mirror;
    this.pendingReleases = new PendingReleases(o.state.kv, `${o.owner}/${o.repo}`);
    this.releases = new ReleaseKeeper({
      ...o,
      mirror: this.shown,
      steering: this.steering,
      pending: this.pendingReleases,
      onSettled: (taskId) => this.tickets.delete(taskId),
    });
    this.reconciler = new MirrorReconciler({
      ...o,
      mirror: this.shown,
      labels: (n) => this.issues.get(n)?.labels,
      comment: (n) => o.comments.remembered(n),
    });
  }

  taskId(issue: number): string {
    return `${this.o.owner}/${this.o.repo}#${issue}`;
  }

  async register(owner: OwnerIdentity): Promise<void> {
    this.self = owner.id;
    this.o.state.owners.register(owner, null);
    await this.o.ledger.init(); // proves contents: write, with a clear error if not
    const created = await ensureLabels(this.o.client, this.o.owner, this.o.repo);
    if (created.length) this.o.logger.info({ labels: created }, 'created the codex:* labels');
    // A first beat: a live daemon elsewhere under the same owner id shows as a collision.
    await this.o.ledger.heartbeat(owner.id, []);
  }

  async unregister(owner: OwnerIdentity): Promise<void> {
    // The mirror is flushed by close(), once: shutdown must stay within its failsafe.
    this.o.state.owners.unregister(owner);
  }

  async refresh(signal: AbortSignal): Promise<string[]> {
    const { changed } = await this.o.sync.pull(signal);
    for (const issue of changed) {
      this.issues.put(issue);
      this.o.state.defineTask(this.taskId(issue.number), {
        source: 'github',
        title: issue.title,
        agent: issue.agent,
        priority: issue.priority,
      });
    }
    // Steering first: a codex:retry reset must be in the view this cycle claims from.
    await this.steering.apply(changed);
    let view = await this.o.ledger.refresh();
    // Releases an attempt (or an earlier run) could not record: before anything else of ours;
    // what they settle must be in the view this cycle claims from.
    if ((await this.releases.retryPending()) > 0) view = await this.o.ledger.refresh();
    if (this.self) {
      const held = this.heldIssues();
      this.reconciler.cycle(view, { ownerId: this.self, holds: (n) => held.has(n) });
    }
    this.publishStatus(view);
    // A crashed daemon's attempts still running here are stopped before their claims expire.
    return (await sweepStaleClaims(this.o.state, signal)).map((s) => s.taskId);
  }

  /** Issues this process holds: running attempts, and releases not yet recorded. */
  private heldIssues(): Set<number> {
    const held = new Set([...this.tickets.values()].map((t) => t.issue));
    for (const p of this.pendingReleases.all()) held.add(p.ledger.issue);
    return held;
  }

  /** What `codex-monitor status` (another process) shows of the repository: kept in the kv table. */
  private publishStatus(view: LedgerView): void {
    const status = githubStatus(
      `${this.o.owner}/${this.o.repo}`,
      this.o.clock.now(),
      view,
      this.assess(null),
      this.issues,
    );
    this.o.state.kv.set(GITHUB_STATUS, status.repository, JSON.stringify(status));
  }

  assess(agent: string | null, ownerId?: string): Eligibility {
    const held = this.heldIssues();
    return assessIssues({
      issues: this.issues.all,
      ledger: this.o.ledger.lastView(),
      agent,
      policy: this.o.policy,
      heldLocally: (n) => this.o.state.get(this.taskId(n))?.state === 'claimed',
      now: this.o.clock.now(),
      ...(ownerId ? { self: { ownerId, holds: (n: number) => held.has(n) } } : {}),
    });
  }

  async claimNext(
    owner: OwnerIdentity,
    agent: string | null,
    options: { lostWorkOnly?: boolean } = {},
  ): Promise<ActiveClaim | null> {
    // A few candidates per call: a lost race moves on to the next instead of waiting a cycle.
    for (const issue of this.ordered(agent, owner.id, options.lostWorkOnly === true).slice(0, 3)) {
      const id = this.taskId(issue.number);
      const local = this.o.state.claim(id, owner, { create: true, source: 'github' });
      if (!local.ok) continue;
      let won: Awaited<ReturnType<RefLedger['claim']>>;
      try {
        won = await this.shown.ledgerWrite(() =>
          this.o.ledger.claim(issue.number, owner.id, { maxRetries: this.o.maxRetries }),
        );
      } catch (error) {
        // No ledger answer (a limit, an outage): the local claim must not outlive this call.
        this.o.state.release(local.ticket, 'abandoned', { error: `ledger unavailable: ${String(error)}` });
        throw error;
      }
      if (!won.ok) {
        this.o.state.release(local.ticket, 'abandoned', { error: `ledger: ${won.reason}: ${won.detail}` });
        this.o.logger.info({ task: id, reason: won.reason, detail: won.detail }, 'ledger refused the claim');
        if (won.reason === 'poisoned') this.steering.poisoned(issue.number, owner.id, won.detail);
        continue;
      }
      this.tickets.set(id, won.ticket);
      const claim: ActiveClaim = {
        task: await issueTask(this.o, id, issue),
        ticket: { ...local.ticket, epoch: won.ticket.epoch, attempt: won.ticket.retries + 1 },
        tookOverFrom: won.tookOverFrom,
      };
      this.shown.show(factsOf(claim.ticket), won.ticket, 'working', {}, { delayMs: WORKING_MIRROR_DELAY_MS });
      return claim;
    }
    return null;
  }

  /**
   * Candidates in claim order: lost work first — a silent owner's, or an orphan of our own
   * earlier run (recovery should not wait behind fresh work) — then the rest, spread out.
   */
  private readonly announced = new Set<number>();

  private ordered(agent: string | null, ownerId: string, lostWorkOnly: boolean): IssueSnapshot[] {
    const { candidates, recover } = this.assess(agent, ownerId);
    for (const n of recover) {
      if (this.announced.has(n)) continue;
      this.announced.add(n);
      const chain = this.o.ledger.lastView()?.tasks.get(n);
      this.o.logger.info(
        { issue: n, holder: chain?.holder, detail: chain?.detail },
        `#${n} is lost work: recovering it first`,
      );
    }
    const lost = candidates.filter((c) => recover.has(c.number));
    const fresh = candidates.filter((c) => !recover.has(c.number));
    return lostWorkOnly ? lost : [...lost, ...spreadOut(fresh, ownerId)];
  }

  async started(claim: ActiveClaim): Promise<void> {
    this.o.state.recordStart(claim.ticket);
  }

  spawned(claim: ActiveClaim, pid: number): void {
    this.o.state.recordProcess(claim.ticket, pid, processStartTicks(pid));
  }

  async heartbeat(owner: OwnerIdentity, claims: readonly ActiveClaim[]): Promise<HeartbeatReport> {
    this.o.state.heartbeat(owner);
    const report: HeartbeatReport = { lost: [], ignored: [] };
    // A release not yet recorded still holds its claim: keep it alive until the release lands.
    const unreleased = this.pendingReleases.all().map((p) => p.ledger.issue);
    if (claims.length === 0 && unreleased.length === 0) return report; // an idle fleet writes nothing
    const running = claims.map((c) => this.tickets.get(c.task.id)?.issue ?? 0);
    await this.o.ledger.heartbeat(owner.id, [...new Set([...running, ...unreleased])]);
    const view = this.o.ledger.lastView();
    for (const claim of claims) {
      const ticket = this.tickets.get(claim.task.id);
      const tip = ticket && view?.tasks.get(ticket.issue);
      // Lost only when the chain has grown past our claim; an older view just predates it.
      if (ticket && tip && (tip.epoch ?? 0) > ticket.epoch) {
        report.lost.push({ taskId: claim.task.id, reason: `the ledger moved on: ${tip.detail}` });
      } else if (
        ticket &&
        this.issues.get(ticket.issue)?.labels.some((l) => l.toLowerCase() === 'codex:ignore')
      ) {
        report.ignored.push({ taskId: claim.task.id, reason: 'labelled codex:ignore' });
      }
    }
    return report;
  }

  /**
   * Gives the claim back. The release is kept (kv) until the ledger takes it or proves the claim
   * lost, so a failure here is retried — by the attempt, then every cycle, and after a restart.
   */
  release(claim: ActiveClaim, outcome: ReleaseOutcome, detail: { error?: string }): Promise<BoardRelease> {
    return this.releases.release(claim, this.tickets.get(claim.task.id), outcome, detail);
  }

  async pending(agent: string | null): Promise<PendingWork> {
    const work = this.assess(agent).pending;
    // A release not yet recorded is work under way: `--until-idle` waits for it to land.
    return { ...work, held: work.held + this.releases.size };
  }

  async close(): Promise<void> {
    await this.steering.settle();
    await this.mirror.flush(5_000);
  }
}
