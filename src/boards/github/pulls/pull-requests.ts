/**
 * The one pull request of a branch: find it, open it or update it, close it.
 *
 * GitHub allows one open pull request per head branch and base, and says so with a 422: that
 * refusal is our create-if-absent. A POST whose answer is lost (5xx, reset connection) may have
 * been applied, so it is never blindly repeated: the list is re-read past the ETag cache, a few
 * times with a short wait for read lag, and only a pull request still not visible is posted once
 * more — which GitHub would refuse if the first had landed after all. So one branch never gets
 * two pull requests, whichever answers are lost.
 */
import { type Clock, systemClock } from '../../../core/clock.js';
import { InputError } from '../../../core/errors.js';
import { type Logger, silentLogger } from '../../../core/logger.js';
import type { PullSpec } from '../../ledger/index.js';
import { fetchAllPages, type GitHubClient, isUncertain } from '../http/index.js';
import { pullRequestError, refusalOf, uncertain } from './pull-errors.js';
import { addMissingLabels } from './pull-labels.js';

/** Waits between fresh re-reads after an uncertain create: 7.5 s in all before a second POST. */
export const PULL_REREAD_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 4_000];

export interface PullRequestsOptions {
  client: GitHubClient;
  /** The repository; pull requests are opened from its own branches (no forks). */
  owner: string;
  repo: string;
  logger?: Logger;
  clock?: Pick<Clock, 'sleep'>;
  /** Waits between fresh re-reads after an uncertain create (default PULL_REREAD_DELAYS_MS). */
  rereadDelaysMs?: readonly number[];
}

/** An open pull request as `findOpen` returns it. */
export interface OpenPullRequest {
  number: number;
  /** The web page (`html_url`). */
  url: string;
  title: string;
  body: string | null;
  head: string;
  base: string;
  headSha: string;
  draft: boolean;
  labels: string[];
}

/** What a pull request is opened or updated with: the ledger core's, which delivers through this class. */
export type PullRequestSpec = PullSpec;

export interface PullRequestResult {
  number: number;
  url: string;
  /** True when this call created it (also when its POST's answer was lost but it landed). */
  created: boolean;
}

interface RawPull {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  draft?: boolean;
  head: { ref: string; label: string; sha: string };
  base: { ref: string };
  labels: Array<{ name: string }>;
}

export class PullRequests {
  private readonly clock: Pick<Clock, 'sleep'>;
  private readonly logger: Logger;
  private readonly full: string;

  constructor(private readonly ctx: PullRequestsOptions) {
    this.clock = ctx.clock ?? systemClock();
    this.logger = ctx.logger ?? silentLogger();
    this.full = `${ctx.owner}/${ctx.repo}`;
  }

  /**
   * The open pull request whose head is `<owner>:<branch>` (the oldest, should there be several
   * for different bases), or null. `fresh` reads past the ETag cache.
   */
  async findOpen(
    branch: string,
    options: { fresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<OpenPullRequest | null> {
    const { client, owner, repo } = this.ctx;
    checkBranch(branch);
    const label = `${owner}:${branch}`.toLowerCase();
    const { items } = await fetchAllPages<RawPull>(
      client,
      'GET /repos/{owner}/{repo}/pulls',
      { owner, repo, state: 'open', head: `${owner}:${branch}`, per_page: 100 },
      options.signal,
      { fresh: options.fresh === true },
    );
    const mine = items
      .filter((p) => p.head.label.toLowerCase() === label)
      .sort((a, b) => a.number - b.number);
    const p = mine[0];
    if (!p) return null;
    return {
      number: p.number,
      url: p.html_url,
      title: p.title,
      body: p.body,
      head: p.head.ref,
      base: p.base.ref,
      headSha: p.head.sha,
      draft: p.draft === true,
      labels: p.labels.map((l) => l.name),
    };
  }

  /**
   * Opens the pull request of `spec.branch`, or updates the open one (title, body, base,
   * labels). Never a second one for the branch: see the module comment.
   */
  async openOrUpdate(spec: PullRequestSpec, signal?: AbortSignal): Promise<PullRequestResult> {
    checkBranch(spec.branch);
    const existing = await this.findOpen(spec.branch, { ...(signal ? { signal } : {}) });
    if (existing) return { ...(await this.update(existing, spec, signal)), created: false };
    return this.create(spec, signal);
  }

  /** Closes pull request `number` (closing a closed one is a no-op on GitHub). */
  async close(number: number, signal?: AbortSignal): Promise<void> {
    const { client, owner, repo } = this.ctx;
    try {
      await client.rest.pulls.update({
        owner,
        repo,
        pull_number: number,
        state: 'closed',
        request: { signal },
      });
    } catch (error) {
      throw pullRequestError(error, { repo: this.full, branch: null, base: '' }) ?? error;
    }
  }

  private async create(spec: PullRequestSpec, signal?: AbortSignal): Promise<PullRequestResult> {
    const { client, owner, repo } = this.ctx;
    const { branch, base } = spec;
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await client.rest.pulls.create({
          owner,
          repo,
          head: `${owner}:${branch}`,
          base,
          title: spec.title,
          body: spec.body,
          draft: spec.draft === true,
          request: { signal },
        });
        await addMissingLabels(this.ctx, data.number, [], spec.labels, signal);
        return { number: data.number, url: data.html_url, created: true };
      } catch (error) {
        const exists = refusalOf(error) === 'exists';
        if (!exists && !isUncertain(error)) {
          throw pullRequestError(error, { repo: this.full, branch, base }) ?? error;
        }
        const found = await this.lookFor(branch, signal);
        if (found) return { ...(await this.update(found, spec, signal)), created: !exists };
        if (exists)
          throw uncertain(branch, this.full, 'GitHub says one is open but none could be read', error);
        if (attempt >= 2) throw uncertain(branch, this.full, 'two creates went unanswered', error);
        this.logger.info(
          { branch },
          `a pull request create for ${branch} was not applied: creating it again`,
        );
      }
    }
  }

  /** Fresh reads, a few and spaced (read lag), until the branch's pull request shows. */
  private async lookFor(branch: string, signal?: AbortSignal): Promise<OpenPullRequest | null> {
    const delays = this.ctx.rereadDelaysMs ?? PULL_REREAD_DELAYS_MS;
    for (let i = 0; ; i++) {
      const found = await this.findOpen(branch, { fresh: true, ...(signal ? { signal } : {}) });
      if (found || i >= delays.length) return found;
      await this.clock.sleep(delays[i]!, signal);
    }
  }

  /** PATCHes what differs (nothing when nothing does) and adds missing labels. */
  private async update(
    existing: OpenPullRequest,
    spec: PullRequestSpec,
    signal?: AbortSignal,
  ): Promise<Omit<PullRequestResult, 'created'>> {
    const { client, owner, repo } = this.ctx;
    const changes = {
      ...(existing.title !== spec.title ? { title: spec.title } : {}),
      ...(existing.body !== spec.body ? { body: spec.body } : {}),
      ...(existing.base !== spec.base ? { base: spec.base } : {}),
    };
    if (Object.keys(changes).length > 0) {
      try {
        await client.rest.pulls.update({
          owner,
          repo,
          pull_number: existing.number,
          ...changes,
          request: { signal },
        });
      } catch (error) {
        throw pullRequestError(error, { repo: this.full, branch: spec.branch, base: spec.base }) ?? error;
      }
    }
    await addMissingLabels(this.ctx, existing.number, existing.labels, spec.labels, signal);
    return { number: existing.number, url: existing.url };
  }
}

/** A branch name that cannot name a head: empty, or with the `owner:` separator in it. */
function checkBranch(branch: string): void {
  if (branch.trim() === '' || branch.includes(':') || /\s/.test(branch)) {
    throw new InputError(
      `Pull request branch ${JSON.stringify(branch)} is not a branch name: ` +
        'pass the bare branch (e.g. codex/12-fix-login), without an owner prefix or spaces.',
    );
  }
}
