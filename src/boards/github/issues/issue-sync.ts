/**
 * Incremental issue sync: one conditional, paginated listing of the issues updated since the
 * last pull (an unchanged repository costs one request answered 304), turned into snapshots
 * with dependencies, agent capability, priority — and the trust rule for issue text.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../../core/logger.js';
import type { KeyValueStore } from '../../../state/kv-store.js';
import { fetchAllPages, type GitHubClient } from '../http/index.js';
import { parseDependencies } from './dependencies.js';

export interface IssueSnapshot {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  /** `completed`, `not_planned`, `reopened`, … or null. Only closed-as-completed satisfies a dependency. */
  stateReason: string | null;
  labels: string[];
  authorAssociation: string;
  author: string | null;
  url: string;
  updatedAt: string;
  deps: number[];
  /** From the first `agent:<name>` label. */
  agent: string | null;
  priority: number;
}

/** Priority by label (case-insensitive); the highest matching value wins, 0 without a match. */
export const DEFAULT_PRIORITY_LABELS: Readonly<Record<string, number>> = {
  'priority:high': 10,
  'priority:low': -10,
};

export const DEFAULT_TRUSTED_ASSOCIATIONS: readonly string[] = ['OWNER', 'MEMBER', 'COLLABORATOR'];

export interface TrustPolicy {
  trustedAssociations: readonly string[];
  /** Labels that make an issue eligible whoever wrote it (applying a label needs triage rights). */
  taskLabels: readonly string[];
}

const lower = (s: string) => s.toLowerCase();

export function priorityOf(
  labels: readonly string[],
  map: Readonly<Record<string, number>> = DEFAULT_PRIORITY_LABELS,
) {
  const byName = new Map(Object.entries(map).map(([k, v]) => [lower(k), v]));
  const values = labels.flatMap((l) => (byName.has(lower(l)) ? [byName.get(lower(l))!] : []));
  return values.length ? Math.max(...values) : 0;
}

/** Agent capabilities named by `agent:<name>` labels, in label order. */
export function agentsOf(labels: readonly string[]): string[] {
  return labels.flatMap((l) => {
    const m = /^agent:\s*(\S.*)$/i.exec(l.trim());
    return m ? [m[1]!.trim()] : [];
  });
}

/**
 * Issue text is untrusted input: an issue is eligible only when its author is trusted
 * (OWNER, MEMBER, COLLABORATOR by default) or it carries one of the task labels.
 */
export function isTrusted(
  issue: Pick<IssueSnapshot, 'authorAssociation' | 'labels'>,
  policy: TrustPolicy,
): boolean {
  const associations = new Set(policy.trustedAssociations.map((a) => a.toUpperCase()));
  if (associations.has(issue.authorAssociation.toUpperCase())) return true;
  const task = new Set(policy.taskLabels.map(lower));
  return issue.labels.some((l) => task.has(lower(l)));
}

/** The fields of GitHub's issue object that we read. */
export interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels: Array<string | { name?: string }>;
  author_association: string;
  user: { login: string } | null;
  html_url: string;
  updated_at: string;
  /** Present on pull requests (the issues list includes them); `merged_at` set once merged. */
  pull_request?: { merged_at?: string | null } | null;
}

/** A pull request as the issues list shows it: the state `status` gives beside its number. */
export interface PullState {
  number: number;
  state: 'open' | 'closed' | 'merged';
}

export function toSnapshot(
  raw: RawIssue,
  ctx: { owner: string; repo: string; priorities?: Readonly<Record<string, number>> },
): IssueSnapshot {
  const labels = raw.labels.flatMap((l) => {
    const name = typeof l === 'string' ? l : l.name;
    return name ? [name] : [];
  });
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
    stateReason: raw.state_reason ?? null,
    labels,
    authorAssociation: raw.author_association,
    author: raw.user?.login ?? null,
    url: raw.html_url,
    updatedAt: raw.updated_at,
    deps: parseDependencies(raw.body, { owner: ctx.owner, repo: ctx.repo, self: raw.number }),
    agent: agentsOf(labels)[0] ?? null,
    priority: priorityOf(labels, ctx.priorities),
  };
}

export const CURSOR_NAMESPACE = 'issue-cursor';
const PER_PAGE = 100;

export interface IssueSyncOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** Where the cursor (the newest `updated_at` seen) persists. */
  cursor: KeyValueStore;
  /** How far before the cursor `since` is placed when it moves (default 60 s): GitHub's lists lag. */
  overlapMs?: number;
  priorities?: Readonly<Record<string, number>>;
  logger?: Logger;
}

/** Drops the milliseconds: GitHub's timestamps have whole seconds. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class IssueSync {
  /** Per issue, a hash of the snapshot last returned: a listing repeats what did not change. */
  private readonly seen = new Map<number, string>();
  /** Per pull request, the state last returned. */
  private readonly pullStates = new Map<number, PullState['state']>();
  private readonly key: string;

  constructor(private readonly options: IssueSyncOptions) {
    this.key = lower(`${options.owner}/${options.repo}`);
  }

  /**
   * Issues (open and closed, pull requests skipped) updated since the last pull. The first pull
   * of a repository lists everything. Within one process an issue is returned again only when
   * something we read of it changed (whatever its `updated_at` says); after a restart the window since `since` is returned once more, so
   * callers keep their own copy of the issues (the cursor persists, the issues do not).
   *
   * `since` is sticky: it moves up to (cursor − overlap) only once the listing grows past half a
   * page. A `since` recomputed on every pull would change the URL after every change, and a
   * new URL has no ETag: each change would cost a second full-price request. Sticky, the pull
   * after a change is a 304 again, and the listing still never misses an update.
   */
  async pull(
    signal?: AbortSignal,
  ): Promise<{ changed: IssueSnapshot[]; pulls: PullState[]; requests: number }> {
    const { client, owner, repo, cursor } = this.options;
    const last = cursor.get(CURSOR_NAMESPACE, this.key);
    const since = cursor.get(CURSOR_NAMESPACE, `${this.key}:since`);
    const params: Record<string, unknown> = {
      owner,
      repo,
      state: 'all',
      sort: 'updated',
      direction: 'asc',
      per_page: PER_PAGE,
      ...(since ? { since } : {}),
    };
    const { items, requests } = await fetchAllPages<RawIssue>(
      client,
      'GET /repos/{owner}/{repo}/issues',
      params,
      signal,
    );
    let newest = last;
    const changed: IssueSnapshot[] = [];
    const pulls: PullState[] = [];
    const context = { owner, repo, priorities: this.options.priorities };
    for (const raw of items) {
      if (newest === undefined || Date.parse(raw.updated_at) > Date.parse(newest)) newest = raw.updated_at;
      if (raw.pull_request !== undefined && raw.pull_request !== null) {
        // Not a task; its state (at no extra request) is what `status` shows beside its number.
        const merged = typeof raw.pull_request.merged_at === 'string';
        const state = merged ? 'merged' : raw.state === 'open' ? 'open' : 'closed';
        // Like issues, a pull request is reported again only when what we read of it changed.
        if (this.pullStates.get(raw.number) !== state) pulls.push({ number: raw.number, state });
        this.pullStates.set(raw.number, state);
        continue;
      }
      // Compare what we read, never the timestamp alone: GitHub's `updated_at` has whole
      // seconds, so a dependency closed within the second of an update we pulled ties with it.
      const snapshot = toSnapshot(raw, context);
      const fingerprint = createHash('sha256').update(JSON.stringify(snapshot)).digest('base64');
      if (this.seen.get(raw.number) === fingerprint) continue;
      this.seen.set(raw.number, fingerprint);
      this.warnAgents(snapshot);
      changed.push(snapshot);
    }
    if (newest !== undefined && newest !== last) cursor.set(CURSOR_NAMESPACE, this.key, newest);
    if (newest !== undefined && items.length >= PER_PAGE / 2) {
      const next = iso(Date.parse(newest) - (this.options.overlapMs ?? 60_000));
      if (next !== since) cursor.set(CURSOR_NAMESPACE, `${this.key}:since`, next);
    }
    return { changed, pulls, requests };
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
    this.options.cursor.delete(CURSOR_NAMESPACE, this.key);
    this.options.cursor.delete(CURSOR_NAMESPACE, `${this.key}:since`);
    this.seen.clear();
  }
}
