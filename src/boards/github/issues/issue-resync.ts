/**
 * The periodic full resync: what the `since` listing cannot show. An issue transferred to
 * another repository or deleted leaves no update behind; one skipped while a paginated listing
 * shifted under us (an issue updated between two page reads moves every later one back) is
 * never listed again once `since` passed it. A full listing of the open issues, compared with
 * what the store believes open, finds all of them; each one missing is then read on its own
 * (past the cache), so a listing that skipped it cannot make a live issue vanish. The listing is
 * walked a few pages per cycle (ResyncWalk), and a walk starts when ResyncSchedule says so.
 */
import type { Logger } from '../../../core/logger.js';
import { type GitHubClient, GitHubNotFoundError, nextLink, type ResponseHeaders } from '../http/index.js';
import { pollIntervalOf } from './issue-cursor.js';
import type { IssueSnapshot, RawIssue } from './issue-snapshot.js';

/** Issues read one by one per resync at most; the rest wait for the next resync. */
export const MAX_VERIFIED_PER_RESYNC = 50;
/**
 * Pages of the open list read per cycle. A resync walks the list a few pages a cycle: a cycle
 * stays short (a new issue is not kept waiting behind 100 pages at 10,000 open issues), and a
 * fleet's resyncs add a bounded rate per daemon to the endpoint instead of bursts.
 */
export const RESYNC_PAGES_PER_CYCLE = 3;

export interface ResyncContext {
  client: GitHubClient;
  owner: string;
  repo: string;
  logger?: Logger | undefined;
  /** Turns an issue read into a snapshot if it differs from the one last returned, else null. */
  accept: (raw: RawIssue) => IssueSnapshot | null;
}

export interface ResyncStep {
  /** The walk reached the end of the list and reconciled: the resync is complete. */
  done: boolean;
  /** Issues whose snapshot changed without an update the `since` listing showed. */
  changed: IssueSnapshot[];
  /** Issues gone from this repository (transferred, deleted): out of the store. Set when done. */
  gone: number[];
  requests: number;
  pollIntervalMs: number | null;
}

/**
 * A walk through every open issue that reconciles `known` (the store's issues) with it, a few
 * pages per `step`. `known` issues open there but absent from the list once it ends are read one
 * by one: closed → a changed snapshot; 404/410, or answered from another repository (a transfer
 * redirects) → gone; open after all (the list shifted while it was paged) → kept. A step that
 * fails is taken again from the same page at the next cycle.
 */
export class ResyncWalk {
  /** The next page's URL while a walk is under way; null before its first page. */
  private next: string | null = null;
  private walking = false;
  private readonly open = new Set<number>();

  constructor(
    private readonly ctx: ResyncContext,
    private readonly pagesPerStep = RESYNC_PAGES_PER_CYCLE,
  ) {}

  /** A walk is under way: the next pull continues it. */
  get active(): boolean {
    return this.walking;
  }

  async step(known: ReadonlyMap<number, IssueSnapshot>, signal?: AbortSignal): Promise<ResyncStep> {
    const { client, owner, repo } = this.ctx;
    if (!this.walking) {
      [this.walking, this.next] = [true, null];
      this.open.clear();
    }
    const step: ResyncStep = { done: false, changed: [], gone: [], requests: 0, pollIntervalMs: null };
    const request = signal ? { signal } : {};
    for (let page = 0; page < this.pagesPerStep; page++) {
      const params = {
        owner,
        repo,
        state: 'open' as const,
        sort: 'created' as const,
        direction: 'asc' as const,
        per_page: 100,
      };
      const response =
        this.next === null
          ? await client.request('GET /repos/{owner}/{repo}/issues', { ...params, request })
          : await client.request(`GET ${this.next}`, { request });
      step.requests++;
      step.pollIntervalMs = pollIntervalOf(response.headers as ResponseHeaders) ?? step.pollIntervalMs;
      for (const raw of response.data as RawIssue[]) {
        if (raw.pull_request !== undefined && raw.pull_request !== null) continue;
        this.open.add(raw.number);
        const snapshot = this.ctx.accept(raw);
        // The store's copy counts too: after a restart nothing has been returned yet, and a
        // walk that reported every open issue as changed would rewrite the whole store.
        if (snapshot && !sameSnapshot(known.get(raw.number), snapshot)) step.changed.push(snapshot);
      }
      const next = nextLink(response.headers.link);
      if (next === undefined) return this.finish(step, known, signal);
      this.next = next;
    }
    return step;
  }

  private async finish(
    step: ResyncStep,
    known: ReadonlyMap<number, IssueSnapshot>,
    signal?: AbortSignal,
  ): Promise<ResyncStep> {
    const missing = [...known.values()].filter((i) => i.state === 'open' && !this.open.has(i.number));
    for (const issue of missing.slice(0, MAX_VERIFIED_PER_RESYNC)) {
      signal?.throwIfAborted();
      step.requests++;
      const raw = await readIssue(this.ctx, issue.number, signal);
      if (raw === null) {
        step.gone.push(issue.number);
        continue;
      }
      const snapshot = this.ctx.accept(raw);
      if (snapshot) step.changed.push(snapshot);
    }
    if (missing.length > MAX_VERIFIED_PER_RESYNC) {
      this.ctx.logger?.warn(
        { missing: missing.length, verified: MAX_VERIFIED_PER_RESYNC },
        'many known open issues are missing from the open list; the rest are checked at the next resync',
      );
    }
    if (step.gone.length > 0) {
      this.ctx.logger?.info({ gone: step.gone }, 'issues gone from the repository (transferred or deleted)');
    }
    this.walking = false;
    this.open.clear();
    return { ...step, done: true };
  }
}

const sameSnapshot = (a: IssueSnapshot | undefined, b: IssueSnapshot) =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

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
