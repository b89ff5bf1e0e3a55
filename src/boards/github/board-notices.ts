import type { Notification, NotificationSink } from '../../core/notification.js';
import type { TaskRecord } from './ledger/index.js';
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
 * release, its poison record, its takeover claim) or opened the pull request: one daemon of the
 * fleet notifies, never the observers.
 *
 * `fenced` — an attempt's result is discarded — is told by whoever ended its epoch:
 * - a takeover: the taker, when its claim lands (`tookOver`); the fenced owner, if it ever
 *   wakes up, finds a claim above its own and stays silent;
 * - a self-fence (no heartbeat within the renew deadline): the owner itself, when its own
 *   `abandoned` release record lands (the release keeper); if a taker got there first, its
 *   claim ended the epoch and it told;
 * - a poison or reset by a human (steer, an admin), or a record the owner cannot read: nobody
 *   wrote it as a daemon, so the fenced owner tells when its release is refused.
 * A takeover that poisons (the retry limit reached) ended the epoch too: the taker sends
 * `poisoned` and then `fenced` when its poison record lands (the record names the owner it took
 * over, `tookOverFrom`); the fenced owner, if it wakes, finds that poison and stays silent.
 */
export class BoardNotices {
  constructor(private readonly o: BoardNoticesOptions) {}

  poisoned(issue: number, ownerId: string, epoch: number, reason: string): void {
    this.send({ event: 'poisoned', issue, owner: ownerId, epoch, summary: 'out of retries', error: reason });
  }

  fenced(issue: number, ownerId: string, epoch: number, reason: string): void {
    this.send({ event: 'fenced', issue, owner: ownerId, epoch, summary: `result discarded: ${reason}` });
  }

  /**
   * This process's claim took the issue over from `fencedOwner`, whose attempt at `epoch` is
   * fenced; `poisoned`: the takeover wrote the poison instead (the retry limit reached).
   */
  tookOver(issue: number, fencedOwner: string, epoch: number, takerId: string, poisoned = false): void {
    const by = poisoned ? `poisoned by ${takerId} (retry limit reached)` : `taken over by ${takerId}`;
    this.send({
      event: 'fenced',
      issue,
      owner: fencedOwner,
      epoch,
      summary: `${by}: owner ${fencedOwner} went silent; its result will be discarded`,
    });
  }

  /** This attempt opened the pull request (told then, not when the release lands later). */
  prOpened(issue: number, ownerId: string, epoch: number, pr: number): void {
    const url = this.o.webUrl ? `${this.repoUrl()}/pull/${pr}` : undefined;
    this.send({ event: 'pr-opened', issue, owner: ownerId, epoch, summary: `pull request #${pr}` }, url);
  }

  /** A completed release: `done`, linking the pull request when there is one. */
  completed(
    issue: number,
    ownerId: string,
    epoch: number,
    pr: { number: number; created: boolean } | null,
  ): void {
    const prUrl = pr && this.o.webUrl ? `${this.repoUrl()}/pull/${pr.number}` : undefined;
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

/**
 * Whether the record that ended `ownerId`'s epoch was written by a daemon that took the claim
 * over — a claim, or a poison at the retry limit naming the owner — and so told the fence: the
 * woken owner then stays silent. Anything else (a human's poison or reset, an unknown record):
 * the owner tells.
 */
export function endedByTaker(endedBy: TaskRecord | null, ownerId: string): boolean {
  if (endedBy?.kind === 'claim') return true;
  return endedBy?.kind === 'poison' && endedBy.tookOverFrom === ownerId;
}

/** The web address of a GitHub API base: api.github.com → github.com, GHES's /api/v3 → its host. */
export function webUrlOf(apiUrl: string): string | undefined {
  if (/^https:\/\/api\.github\.com\/?$/.test(apiUrl)) return 'https://github.com';
  const ghes = /^(https?:\/\/[^/]+)\/api\/v3\/?$/.exec(apiUrl);
  return ghes?.[1];
}
