import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackoffPolicy, backoffDelayMs } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { TaskPayload } from '../../core/payload.js';
import type { OwnerIdentity, ReleaseOutcome } from '../../core/task.js';
import type { ActiveClaim, Board, BoardRelease, HeartbeatReport, PendingWork } from '../../daemon/board.js';
import { processStartTicks } from '../../state/process-liveness.js';
import type { SharedState } from '../../state/shared-state.js';
import { sweepStaleClaims } from '../orphan-reaper.js';
import type { GitHubClient } from './client.js';
import { assessIssues, type Eligibility, spreadOut } from './eligibility.js';
import { GITHUB_STATUS, githubStatus } from './github-status.js';
import { IssueStore } from './issue-store.js';
import type { IssueSnapshot, IssueSync, TrustPolicy } from './issues.js';
import { ensureLabels } from './labels.js';
import { Mirror, type MirrorTarget } from './mirror.js';
import type { LedgerTicket, LedgerView, RefLedger } from './ref-ledger.js';
import type { StateCommentStore } from './state-comment.js';
import { Steering } from './steering.js';

/** A "working" mirror waits this long: an attempt that ends sooner is mirrored once, finished. */
const WORKING_MIRROR_DELAY_MS = 2000;
/** A ledger write this recent is its own proof that we hold the claim. */
const FRESH_WRITE_MS = 1000;

export interface GitHubBoardOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  ledger: RefLedger;
  sync: IssueSync;
  comments: StateCommentStore;
  state: SharedState;
  clock: Clock;
  logger: Logger;
  policy: TrustPolicy;
  maxRetries: number;
  backoff: BackoffPolicy;
  /** Where issue bodies (and prompts) are written for the executor. */
  workDir: string;
  /** The executor payload for an issue: from the configuration, never from the issue. */
  payloadFor: (issue: IssueSnapshot, files: { bodyFile: string; promptFile: string }) => Promise<TaskPayload>;
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

  /** Ledger writes under way, and who waits for them to finish (the mirror). */
  private ledgerWrites = 0;
  private ledgerWaiters: (() => void)[] = [];

  constructor(private readonly o: GitHubBoardOptions) {
    this.issues = new IssueStore(o.state.kv, `${o.owner}/${o.repo}`);
    this.mirror = new Mirror({
      ...o,
      labels: this.issues.labels,
      logger: o.logger,
      ledgerIdle: () =>
        this.ledgerWrites === 0
          ? Promise.resolve()
          : new Promise((resolve) => this.ledgerWaiters.push(resolve)),
    });
    this.steering = new Steering({ ...o, issues: this.issues, taskId: (n) => this.taskId(n) });
    this.steering.mirror = this.mirror;
  }

  taskId(issue: number): string {
    return `${this.o.owner}/${this.o.repo}#${issue}`;
  }

  async register(owner: OwnerIdentity): Promise<void> {
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
    const view = await this.o.ledger.refresh();
    this.publishStatus(view);
    // A crashed daemon's attempts still running here are stopped before their claims expire.
    return (await sweepStaleClaims(this.o.state, signal)).map((s) => s.taskId);
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
    const held = new Set([...this.tickets.values()].map((t) => t.issue));
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
        won = await this.ledgerWrite(() =>
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
      const dir = join(this.o.workDir, String(issue.number));
      mkdirSync(dir, { recursive: true });
      const files = { bodyFile: join(dir, 'body.md'), promptFile: join(dir, 'prompt.md') };
      writeFileSync(files.bodyFile, issue.body);
      const claim: ActiveClaim = {
        task: {
          id,
          title: issue.title,
          agent: issue.agent,
          payload: await this.o.payloadFor(issue, files),
          env: {
            CODEX_MONITOR_ISSUE_NUMBER: String(issue.number),
            CODEX_MONITOR_ISSUE_URL: issue.url,
            CODEX_MONITOR_ISSUE_BODY_FILE: files.bodyFile,
            CODEX_MONITOR_REPOSITORY: `${this.o.owner}/${this.o.repo}`,
          },
        },
        ticket: { ...local.ticket, epoch: won.ticket.epoch, attempt: won.ticket.retries + 1 },
        tookOverFrom: won.tookOverFrom,
      };
      this.mirrorOf(claim, won.ticket, 'working', {}, WORKING_MIRROR_DELAY_MS);
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
    if (claims.length === 0) return report; // no claims, no beat: an idle fleet writes nothing
    await this.o.ledger.heartbeat(
      owner.id,
      claims.map((c) => this.tickets.get(c.task.id)?.issue ?? 0),
    );
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

  async release(
    claim: ActiveClaim,
    outcome: ReleaseOutcome,
    detail: { error?: string },
  ): Promise<BoardRelease> {
    const ticket = this.tickets.get(claim.task.id);
    if (!ticket) return { ok: false, reason: 'no ledger ticket for this claim' };
    try {
      return await this.releaseTicket(claim, ticket, outcome, detail);
    } finally {
      // Only now: while the release is under way the claim is still ours, not an orphan.
      this.tickets.delete(claim.task.id);
    }
  }

  private async releaseTicket(
    claim: ActiveClaim,
    ticket: LedgerTicket,
    outcome: ReleaseOutcome,
    detail: { error?: string },
  ): Promise<BoardRelease> {
    const failures = ticket.retries + (outcome === 'failed' ? 1 : 0);
    const backoffMs = outcome === 'failed' ? backoffDelayMs(failures, this.o.backoff, this.o.random) : 0;
    const result = await this.ledgerWrite(() =>
      this.o.ledger.release(ticket, outcome, {
        ...(detail.error ? { reason: detail.error } : {}),
        ...(outcome === 'failed' ? { backoffMs } : {}),
      }),
    );
    if (!result.ok) {
      // Fenced: the result is discarded; the local claim is given back without counting.
      this.o.state.release(claim.ticket, 'abandoned', { error: `fenced: ${result.reason}` });
      this.o.state.events.append({
        type: 'fenced',
        taskId: claim.task.id,
        ownerId: ticket.ownerId,
        epoch: ticket.epoch,
      });
      return { ok: false, reason: result.reason };
    }
    const local = this.o.state.release(claim.ticket, outcome, detail);
    const poisoned = outcome === 'failed' && failures >= this.o.maxRetries;
    const after = { ...ticket, sha: result.sha, epoch: result.epoch, retries: failures };
    if (poisoned) {
      this.steering.poisoned(ticket.issue, ticket.ownerId, detail.error ?? 'failed');
    } else {
      const label = outcome === 'complete' ? 'done' : null;
      this.mirrorOf(claim, after, label, { outcome, ...(detail.error ? { error: detail.error } : {}) });
    }
    return {
      ok: true,
      state: poisoned ? 'poisoned' : local.ok ? local.state : outcome === 'complete' ? 'done' : 'failed',
      retryCount: failures,
      nextAttemptAt: this.o.clock.now() + backoffMs,
    };
  }

  /** Runs a ledger write, holding the mirror back until no ledger write is waiting. */
  private async ledgerWrite<T>(write: () => Promise<T>): Promise<T> {
    this.ledgerWrites++;
    try {
      return await write();
    } finally {
      if (--this.ledgerWrites === 0) for (const wake of this.ledgerWaiters.splice(0)) wake();
    }
  }

  async pending(agent: string | null): Promise<PendingWork> {
    return this.assess(agent).pending;
  }

  async close(): Promise<void> {
    await this.steering.settle();
    await this.mirror.flush(5_000);
  }

  private mirrorOf(
    claim: ActiveClaim,
    ticket: LedgerTicket,
    label: MirrorTarget['label'],
    result: { outcome?: string; error?: string },
    delayMs = 0,
  ): void {
    const now = new Date(this.o.clock.now()).toISOString();
    const wroteAt = this.o.clock.monotonic();
    this.mirror.desire({
      issue: ticket.issue,
      label,
      comment: {
        owner: ticket.ownerId,
        status: label === 'working' ? 'working' : label === 'done' ? 'done' : 'released',
        attempt: claim.ticket.attempt,
        maxAttempts: this.o.maxRetries,
        since: new Date(claim.ticket.claimedAt).toISOString(),
        heartbeat: now,
        epoch: ticket.epoch,
        outcome: result.outcome ?? null,
        error: result.error ?? null,
        logs: join(
          this.o.workDir,
          '..',
          'artifacts',
          encodeURIComponent(claim.task.id),
          String(claim.ticket.epoch),
        ),
      },
      // The conflict check: our own CAS that just landed says as much as a GET would;
      // later, ask the ledger.
      holds: async () =>
        this.o.clock.monotonic() - wroteAt < FRESH_WRITE_MS || (await this.o.ledger.stillHolds(ticket)),
      delayMs,
    });
  }
}
