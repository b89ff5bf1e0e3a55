/**
 * Incremental issue sync: one conditional, paginated listing of the issues updated since the
 * cursor (an unchanged repository costs one request answered 304, whatever its size), and now
 * and then a full resync of the open issues for what that listing cannot show.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../../core/logger.js';
import type { KeyValueStore } from '../../../state/kv-store.js';
import { fetchAllPages, type GitHubClient } from '../http/index.js';
import { CURSOR_NAMESPACE, nextSince, pollIntervalOf, serverDate } from './issue-cursor.js';
import { ResyncSchedule, ResyncWalk } from './issue-resync.js';
import { agentsOf, type IssueSnapshot, type PullState, type RawIssue, toSnapshot } from './issue-snapshot.js';

export { CURSOR_NAMESPACE } from './issue-cursor.js';

const PER_PAGE = 100;

export interface IssueSyncOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** Where `since` persists (namespace CURSOR_NAMESPACE). */
  cursor: KeyValueStore;
  /** The longest a list read may lag a write (default 60 s): `since` stays this far behind. */
  overlapMs?: number;
  /** Period of the full resync of open issues (ISSUE_FULL_RESYNC_MS; default 10 minutes). */
  fullResyncMs?: number;
  /** Monotonic milliseconds, for the resync schedule (default `performance.now`). */
  monotonic?: () => number;
  random?: () => number;
  priorities?: Readonly<Record<string, number>>;
  logger?: Logger;
}

export const DEFAULT_FULL_RESYNC_MS = 600_000;

export interface IssuePull {
  /** Issues (open and closed) whose snapshot changed since it was last returned. */
  changed: IssueSnapshot[];
  /** Issues gone from the repository (transferred, deleted), found by a full resync. */
  gone: number[];
  pulls: PullState[];
  requests: number;
  /** Whether this pull completed a full resync (a resync walks the open list over several pulls). */
  resynced: boolean;
  /** GitHub's `X-Poll-Interval` in ms when it sent one: poll no sooner than this. */
  pollIntervalMs: number | null;
}

export class IssueSync {
  /** Per issue, a hash of the snapshot last returned: a listing repeats what did not change. */
  private readonly seen = new Map<number, string>();
  /** Per pull request, the state last returned. */
  private readonly pullStates = new Map<number, PullState['state']>();
  private readonly key: string;
  private readonly schedule: ResyncSchedule;
  private readonly walk: ResyncWalk;

  constructor(private readonly options: IssueSyncOptions) {
    this.key = `${options.owner}/${options.repo}`.toLowerCase();
    this.schedule = new ResyncSchedule(
      options.fullResyncMs ?? DEFAULT_FULL_RESYNC_MS,
      options.monotonic ?? (() => performance.now()),
      options.random,
    );
    const { client, owner, repo, logger } = options;
    this.walk = new ResyncWalk({ client, owner, repo, logger, accept: (raw) => this.accept(raw) });
  }

  /**
   * Issues (open and closed, pull requests skipped) updated since the last pull; when a resync
   * is due (or `resync` is set) or under way, also a few pages of the full listing of the open
   * issues, for what the incremental one cannot show (`known`: the caller's copy, see ResyncWalk). The first
   * pull of a repository lists everything. Within one process an issue is returned again only
   * when something we read of it changed (whatever its `updated_at` says); after a restart the
   * window since `since` is returned once more, so callers keep their own copy of the issues
   * (the cursor persists, the issues do not).
   *
   * `since` moves seldom and far (see nextSince): a quiet repository costs one request answered
   * 304 per pull, at 100 issues or at 10,000.
   */
  async pull(
    signal?: AbortSignal,
    known: ReadonlyMap<number, IssueSnapshot> = new Map(),
    options: { resync?: boolean } = {},
  ): Promise<IssuePull> {
    const { client, owner, repo, cursor } = this.options;
    const sinceKey = `${this.key}:since`;
    const since = cursor.get(CURSOR_NAMESPACE, sinceKey);
    const params: Record<string, unknown> = {
      owner,
      repo,
      state: 'all',
      sort: 'updated',
      direction: 'asc',
      per_page: PER_PAGE,
      ...(since ? { since } : {}),
    };
    const listing = await fetchAllPages<RawIssue>(client, 'GET /repos/{owner}/{repo}/issues', params, signal);
    const changed: IssueSnapshot[] = [];
    const pulls: PullState[] = [];
    for (const raw of listing.items) {
      if (raw.pull_request !== undefined && raw.pull_request !== null) {
        // Not a task; its state (at no extra request) is what `status` shows beside its number.
        const merged = typeof raw.pull_request.merged_at === 'string';
        const state = merged ? 'merged' : raw.state === 'open' ? 'open' : 'closed';
        // Like issues, a pull request is reported again only when what we read of it changed.
        if (this.pullStates.get(raw.number) !== state) pulls.push({ number: raw.number, state });
        this.pullStates.set(raw.number, state);
        continue;
      }
      const snapshot = this.accept(raw);
      if (snapshot) changed.push(snapshot);
    }
    const next = nextSince({
      since,
      updated: listing.items.map((i) => i.updated_at),
      listedAt: serverDate(listing.headers),
      overlapMs: this.options.overlapMs ?? 60_000,
      minDrop: PER_PAGE / 2,
    });
    if (next !== undefined && next !== since) cursor.set(CURSOR_NAMESPACE, sinceKey, next);
    const pulled: IssuePull = {
      changed,
      gone: [],
      pulls,
      requests: listing.requests,
      resynced: false,
      pollIntervalMs: pollIntervalOf(listing.headers),
    };
    const resyncing = this.walk.active || options.resync === true || this.schedule.due();
    if (!resyncing) return pulled;
    // What the listing just returned is newer than the store's copy the walk compares with.
    const current = new Map(known);
    for (const issue of changed) current.set(issue.number, issue);
    const step = await this.walk.step(current, signal);
    if (step.done) this.schedule.done();
    for (const n of step.gone) this.seen.delete(n);
    const intervals = [pulled.pollIntervalMs, step.pollIntervalMs].filter((ms) => ms !== null);
    return {
      ...pulled,
      changed: [...changed, ...step.changed],
      gone: step.gone,
      requests: pulled.requests + step.requests,
      resynced: step.done,
      pollIntervalMs: intervals.length > 0 ? Math.max(...intervals) : null,
    };
  }

  /**
   * The snapshot of an issue read, or null when it is what we last returned. Compares what we
   * read, never the timestamp alone: GitHub's `updated_at` has whole seconds, so a dependency
   * closed within the second of an update we pulled ties with it.
   */
  private accept(raw: RawIssue): IssueSnapshot | null {
    const { owner, repo, priorities } = this.options;
    const snapshot = toSnapshot(raw, { owner, repo, priorities });
    const fingerprint = createHash('sha256').update(JSON.stringify(snapshot)).digest('base64');
    if (this.seen.get(raw.number) === fingerprint) return null;
    this.seen.set(raw.number, fingerprint);
    this.warnAgents(snapshot);
    return snapshot;
  }

  private warnAgents(snapshot: IssueSnapshot): void {
    const agents = agentsOf(snapshot.labels);
    if (agents.length > 1) {
      this.options.logger?.warn(
        { issue: snapshot.number, agents },
        `issue #${snapshot.number} has several agent labels; using ${agents[0]}`,
      );
    }
  }

  /** Forgets the cursor: the next pull lists every issue again. */
  reset(): void {
    this.options.cursor.delete(CURSOR_NAMESPACE, this.key); // the cursor of earlier versions
    this.options.cursor.delete(CURSOR_NAMESPACE, `${this.key}:since`);
    this.seen.clear();
  }
}
