/**
 * The periodic full resync: what the `since` listing cannot show. An issue transferred to
 * another repository or deleted leaves no update behind; one skipped while a paginated listing
 * shifted under us (an issue updated between two page reads moves every later one back) is
 * never listed again once `since` passed it. A full listing of the open issues, compared with
 * what the store believes open, finds all of them; each one missing is then read on its own
 * (past the cache), so a listing that skipped it cannot make a live issue vanish.
 */
import type { Logger } from '../../../core/logger.js';
import { fetchAllPages, type GitHubClient, GitHubNotFoundError } from '../http/index.js';
import { pollIntervalOf } from './issue-cursor.js';
import type { IssueSnapshot, RawIssue } from './issue-snapshot.js';

/** Issues read one by one per resync at most; the rest wait for the next resync. */
export const MAX_VERIFIED_PER_RESYNC = 50;

export interface ResyncContext {
  client: GitHubClient;
  owner: string;
  repo: string;
  logger?: Logger | undefined;
  /** Turns an issue read into a snapshot if it differs from the one last returned, else null. */
  accept: (raw: RawIssue) => IssueSnapshot | null;
}

export interface ResyncResult {
  /** Issues whose snapshot changed without an update the `since` listing showed. */
  changed: IssueSnapshot[];
  /** Issues gone from this repository (transferred, deleted): out of the store. */
  gone: number[];
  requests: number;
  pollIntervalMs: number | null;
}

/**
 * Lists every open issue and reconciles `known` (the store's issues) with it.
 * `known` issues that are open there but absent from the listing are read one by one:
 * closed → a changed snapshot; 404/410, or answered from another repository (a transfer
 * redirects) → gone; open after all (the listing shifted) → kept, its snapshot refreshed.
 */
export async function resyncOpenIssues(
  ctx: ResyncContext,
  known: ReadonlyMap<number, IssueSnapshot>,
  signal?: AbortSignal,
): Promise<ResyncResult> {
  const { client, owner, repo } = ctx;
  const params = { owner, repo, state: 'open', sort: 'created', direction: 'asc', per_page: 100 };
  const listing = await fetchAllPages<RawIssue>(client, 'GET /repos/{owner}/{repo}/issues', params, signal);
  let requests = listing.requests;
  const changed: IssueSnapshot[] = [];
  const gone: number[] = [];
  const open = new Set<number>();
  for (const raw of listing.items) {
    if (raw.pull_request !== undefined && raw.pull_request !== null) continue;
    open.add(raw.number);
    const snapshot = ctx.accept(raw);
    if (snapshot) changed.push(snapshot);
  }
  const missing = [...known.values()].filter((i) => i.state === 'open' && !open.has(i.number));
  for (const issue of missing.slice(0, MAX_VERIFIED_PER_RESYNC)) {
    signal?.throwIfAborted();
    requests++;
    const raw = await readIssue(ctx, issue.number, signal);
    if (raw === null) {
      gone.push(issue.number);
      continue;
    }
    const snapshot = ctx.accept(raw);
    if (snapshot) changed.push(snapshot);
  }
  if (missing.length > MAX_VERIFIED_PER_RESYNC) {
    ctx.logger?.warn(
      { missing: missing.length, verified: MAX_VERIFIED_PER_RESYNC },
      'many known open issues are missing from the open list; the rest are checked at the next resync',
    );
  }
  if (gone.length > 0) ctx.logger?.info({ gone }, 'issues gone from the repository (transferred or deleted)');
  return { changed, gone, requests, pollIntervalMs: pollIntervalOf(listing.headers) };
}

/** One issue read past the cache; null when it is no longer this repository's. */
async function readIssue(ctx: ResyncContext, number: number, signal?: AbortSignal): Promise<RawIssue | null> {
  const { client, owner, repo } = ctx;
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
      owner,
      repo,
      issue_number: number,
      request: { fresh: true, ...(signal ? { signal } : {}) },
    });
    const raw = data as unknown as RawIssue;
    // A transferred issue redirects to its new home: another repository, or another number.
    const home = `/${owner}/${repo}/issues/${number}`.toLowerCase();
    return raw.number === number && new URL(raw.html_url).pathname.toLowerCase().endsWith(home) ? raw : null;
  } catch (error) {
    if (error instanceof GitHubNotFoundError) return null;
    throw error;
  }
}

/**
 * When the next resync is due, on the monotonic clock: the first at a random point between half
 * a period and a period after start-up, then every period ±20%, so a fleet started together
 * does not list the whole repository in the same minute.
 */
export class ResyncSchedule {
  private dueAt: number;

  constructor(
    private readonly periodMs: number,
    private readonly monotonic: () => number,
    private readonly random: () => number = Math.random,
  ) {
    this.dueAt = monotonic() + periodMs * (0.5 + 0.5 * random());
  }

  due(): boolean {
    return this.monotonic() >= this.dueAt;
  }

  /** A resync completed: the next one a period (±20%) from now. */
  done(): void {
    this.dueAt = this.monotonic() + this.periodMs * (0.8 + 0.4 * this.random());
  }
}
