import type { Notification, NotificationSink } from '../../core/notification.js';
import { type PublishOptions, publishedError } from './mirror/index.js';

export interface BoardNoticesOptions {
  notify: NotificationSink;
  owner: string;
  repo: string;
  /** The repository's web address base (https://github.com); undefined: no links (a fake, a proxy). */
  webUrl: string | undefined;
  /** CODEX_MONITOR_PUBLISH_ERRORS and the home directory: the state comment's rules. */
  publish: PublishOptions;
}

/**
 * The GitHub board's notifications, raised where this process WROTE the ledger record (its
 * release, its poison record) or learned its release was refused (fenced): one daemon of the
 * fleet notifies, never the observers.
 */
export class BoardNotices {
  constructor(private readonly o: BoardNoticesOptions) {}

  poisoned(issue: number, ownerId: string, epoch: number, reason: string): void {
    this.send({ event: 'poisoned', issue, owner: ownerId, epoch, summary: 'out of retries', error: reason });
  }

  fenced(issue: number, ownerId: string, epoch: number, reason: string): void {
    this.send({ event: 'fenced', issue, owner: ownerId, epoch, summary: `result discarded: ${reason}` });
  }

  /** A completed release: `done`, and `pr-opened` when this attempt opened the pull request. */
  completed(
    issue: number,
    ownerId: string,
    epoch: number,
    pr: { number: number; created: boolean } | null,
  ): void {
    const prUrl = pr && this.o.webUrl ? `${this.repoUrl()}/pull/${pr.number}` : undefined;
    if (pr?.created)
      this.send(
        { event: 'pr-opened', issue, owner: ownerId, epoch, summary: `pull request #${pr.number}` },
        prUrl,
      );
    this.send(
      { event: 'done', issue, owner: ownerId, epoch, ...(pr ? { summary: `PR #${pr.number}` } : {}) },
      prUrl,
    );
  }

  rateLimited(ownerId: string, kind: string, resetAt: number | undefined): void {
    // The reset time as epoch: one notice per limit window, not one per refused request.
    this.o.notify.notify({
      event: 'rate-limited',
      owner: ownerId,
      repository: `${this.o.owner}/${this.o.repo}`,
      summary: `waiting on GitHub's ${kind} rate limit`,
      ...(resetAt !== undefined ? { epoch: Math.floor(resetAt / 60_000) } : {}),
    });
  }

  private repoUrl(): string {
    return `${this.o.webUrl}/${this.o.owner}/${this.o.repo}`;
  }

  private send(
    n: Omit<Notification, 'task' | 'repository' | 'error'> & { issue: number; error?: string },
    url?: string,
  ): void {
    const { error, ...rest } = n;
    const shown = publishedError(error, this.o.publish);
    this.o.notify.notify({
      ...rest,
      task: `#${n.issue}`,
      repository: `${this.o.owner}/${this.o.repo}`,
      ...(shown ? { error: shown } : {}),
      ...((url ?? this.o.webUrl) ? { url: url ?? `${this.repoUrl()}/issues/${n.issue}` } : {}),
    });
  }
}

/** The web address of a GitHub API base: api.github.com → github.com, GHES's /api/v3 → its host. */
export function webUrlOf(apiUrl: string): string | undefined {
  if (/^https:\/\/api\.github\.com\/?$/.test(apiUrl)) return 'https://github.com';
  const ghes = /^(https?:\/\/[^/]+)\/api\/v3\/?$/.exec(apiUrl);
  return ghes?.[1];
}
