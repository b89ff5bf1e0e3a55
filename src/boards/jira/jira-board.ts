/**
 * Jira issues as the board. Jira has no compare-and-swap, so the git ledger (one chain per issue,
 * named by its numeric id) is the authority on claims; the local shared state is this
 * workstation's conflict check and audit log; labels, the state comment and workflow transitions
 * are the human mirror, written behind the ledger (jira-mirror.ts).
 */
import type { BackoffPolicy } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity, ReleaseOutcome } from '../../core/task.js';
import type {
  ActiveClaim,
  Board,
  BoardRelease,
  ClaimOptions,
  HeartbeatReport,
  PendingWork,
  ReleaseDetail,
} from '../../daemon/board.js';
import type { AttemptWorkspace, DeliveryResult } from '../../daemon/workspace.js';
import { processStartTicks } from '../../host/process-liveness.js';
import type { SharedState } from '../../state/shared-state.js';
import type { RefLedger } from '../github/ledger/index.js';
import {
  ClaimOrder,
  claimVerdicts,
  type LedgerNotices,
  PendingReleases,
  pendingReleasesNamespace,
} from '../ledger/index.js';
import { sweepStaleClaims } from '../orphan-reaper.js';
import type { JiraApi } from './jira-api.js';
import { claimJiraIssue, type JiraClaimContext, type JiraPayloadFor, jiraClaimOf } from './jira-claim.js';
import { deliverJiraIssue, type JiraDelivery } from './jira-deliver.js';
import { assessJiraIssues } from './jira-eligibility.js';
import { JiraHands } from './jira-hands.js';
import type { JiraSnapshot } from './jira-issue.js';
import type { JiraMirror } from './jira-mirror.js';
import { claimNoticeHooks } from './jira-notices.js';
import { JiraReleases } from './jira-release.js';
import { type JiraLabels, JiraSteering } from './jira-steering.js';
import type { JiraSync } from './jira-sync.js';

export interface JiraBoardOptions {
  api: JiraApi;
  sync: Pick<JiraSync, 'pull'>;
  ledger: RefLedger;
  store: SharedState;
  clock: Clock;
  logger: Logger;
  self: OwnerIdentity;
  agent: string | null;
  maxRetries: number;
  backoff: BackoffPolicy;
  random?: () => number;
  /** The Jira site (JIRA_BASE_URL): names this board's releases kept in the local store. */
  site: string;
  labels: JiraLabels;
  workDir: string;
  payloadFor: JiraPayloadFor;
  mirror?: JiraMirror;
  /** An issue by key or id, as a snapshot (steering of an issue not synced yet). */
  lookup?: (key: string) => Promise<JiraSnapshot | null>;
  /** Set when attempts work in worktrees: their branch is pushed, with a pull request if it can. */
  delivery?: JiraDelivery;
  /** Notifications, raised where this process writes the ledger record (jira-notices.ts). */
  notices?: LedgerNotices;
}

export class JiraBoard implements Board {
  readonly name = 'jira';
  readonly steering: JiraSteering;
  /** The synced issues by numeric id. */
  readonly issues = new Map<number, JiraSnapshot>();
  /** Issues of the claims this process's attempts hold (task id → issue id). */
  private readonly running = new Map<string, number>();
  private readonly claiming: JiraClaimContext;
  private readonly releases: JiraReleases;
  private readonly order: ClaimOrder<JiraSnapshot>;
  /** Notices the claim raises in the background (a poison confirmed), awaited at close. */
  private readonly noticesSettled: () => Promise<void>;

  constructor(private readonly o: JiraBoardOptions) {
    this.steering = new JiraSteering({
      ...o,
      issues: this.issues,
      taskId: (key) => this.taskId(key),
      actor: o.self.id,
    });
    const told = o.notices ? claimNoticeHooks({ ...o, notices: o.notices }) : undefined;
    this.noticesSettled = told?.settle ?? (async () => {});
    this.claiming = { ...o, delivers: o.delivery !== undefined, ...told?.hooks };
    this.releases = new JiraReleases({
      ...o,
      pending: new PendingReleases(o.store.kv, pendingReleasesNamespace({ jira: o.site })),
      issueOf: (id) => this.issues.get(id),
      onSettled: (taskId) => this.running.delete(taskId),
      ...(o.delivery?.withdraw ? { withdraw: o.delivery.withdraw } : {}),
    });
    this.order = new ClaimOrder({
      ...o,
      assess: (agent, self) =>
        assessJiraIssues({
          issues: this.issues,
          ledger: o.ledger.lastView(),
          agent,
          ignoreLabel: o.labels.ignore,
          heldLocally: (id) => {
            const issue = this.issues.get(id);
            return !!issue && o.store.get(this.taskId(issue.key))?.state === 'claimed';
          },
          now: o.clock.now(),
          self,
        }),
      idOf: (issue) => issue.id,
      nameOf: (id) => this.issues.get(id)?.key ?? `Jira issue ${id}`,
      // Releases not recorded yet hold their chains too (after a restart: not orphans to run again).
      held: () => new Set([...this.running.values(), ...this.releases.chains()]),
    });
  }

  /** Hand claims for a person through this board's ledger and mirror (jira-hands.ts). */
  handsFor(who: { id: string; host: string }): JiraHands {
    // Read from Jira now (a CLI process never synced); without a reader, the synced issues.
    const synced = async (ref: string) =>
      [...this.issues.values()].find((i) => i.key === ref || String(i.id) === ref) ?? null;
    return new JiraHands({
      ...this.o,
      who,
      lookup: this.o.lookup ?? synced,
      nextIssue: async (agent) => {
        await this.refresh(new AbortController().signal);
        return this.order.assess(agent).candidates[0] ?? null;
      },
    });
  }

  taskId(key: string): string {
    return `jira:${key}`;
  }

  async register(): Promise<void> {
    this.o.store.owners.register(this.o.self, null);
    await this.o.ledger.init();
    // A first beat: a live daemon elsewhere under the same owner id shows as a collision.
    await this.o.ledger.heartbeat(this.o.self.id, []);
  }

  async unregister(): Promise<void> {
    this.o.store.owners.unregister(this.o.self);
  }

  async refresh(signal: AbortSignal): Promise<string[]> {
    const { changed, gone } = await this.o.sync.pull(this.issues, signal);
    for (const id of gone) this.issues.delete(id);
    for (const issue of changed) {
      this.issues.set(issue.id, issue);
      this.o.store.defineTask(this.taskId(issue.key), {
        source: 'jira',
        title: issue.title,
        agent: issue.agent,
        priority: issue.priority,
      });
    }
    await this.steering.apply(changed); // a retry label's reset must be in the view claimed from
    await this.o.ledger.refresh();
    if ((await this.releases.retry()) > 0) await this.o.ledger.refresh();
    return (await sweepStaleClaims(this.o.store, signal)).map((s) => s.taskId);
  }

  async claimNext({ purpose, signal }: ClaimOptions): Promise<ActiveClaim | null> {
    // A few candidates per call: a lost race moves on to the next instead of waiting a cycle.
    for (const issue of this.order.candidates(this.o.agent, this.o.self.id, purpose).slice(0, 3)) {
      if (signal.aborted) return null;
      const id = this.taskId(issue.key);
      const claimed = await claimJiraIssue(this.claiming, id, issue);
      if (!claimed) continue;
      this.running.set(id, issue.id);
      this.o.mirror?.show(claimed.issue, 'working', {
        owner: this.o.self.id,
        attempt: claimed.ticket.attempt,
        epoch: claimed.ledger.epoch,
      });
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
    this.o.store.heartbeat(this.o.self);
    if (claims.length === 0 && this.releases.size === 0) return { lost: [], ignored: [] }; // idle: no writes
    const mine = claims.flatMap((c) => jiraClaimOf(c) ?? []);
    // A release not recorded yet still holds its claim: keep it alive until it lands.
    const held = [...mine.map((c) => c.ledger.issue), ...this.releases.chains()];
    await this.o.ledger.heartbeat(this.o.self.id, [...new Set(held)]);
    return claimVerdicts(claims, this.o.ledger.lastView(), {
      label: this.o.labels.ignore,
      labelsOf: (id) => this.issues.get(id)?.labels,
    });
  }

  async release(
    claim: ActiveClaim,
    outcome: ReleaseOutcome,
    detail: ReleaseDetail,
    signal: AbortSignal,
  ): Promise<BoardRelease> {
    // Aborted (a forced stop) before it is recorded: nothing written, the claim expires as stale.
    if (signal.aborted) throw signal.reason;
    const c = jiraClaimOf(claim);
    if (!c) return { ok: false, reason: 'not a claim of the Jira board' };
    return this.releases.release(c, outcome, detail);
  }

  /** Fence, push, pull request (jira-deliver.ts); the release then records and mirrors it. */
  async deliver(
    claim: ActiveClaim,
    workspace: AttemptWorkspace,
    summary: string | null,
    signal: AbortSignal,
  ): Promise<DeliveryResult> {
    const c = jiraClaimOf(claim);
    if (!c || !this.o.delivery) return { kind: 'failed', error: 'this Jira board delivers no work' };
    return deliverJiraIssue(
      {
        ledger: this.o.ledger,
        delivery: this.o.delivery,
        ...(this.o.notices ? { notices: this.o.notices } : {}),
      },
      c,
      workspace,
      summary,
      signal,
    );
  }

  async pending(): Promise<PendingWork> {
    // A release not recorded yet keeps its issue `held` (its chain still shows our claim, and this
    // process holds it, after a restart too): `--until-idle` waits for it to land.
    return this.order.assess(this.o.agent, this.o.self.id).pending;
  }

  async close(): Promise<void> {
    await this.noticesSettled();
    await this.o.mirror?.flush(5_000);
  }
}
