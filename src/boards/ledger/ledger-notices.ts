import type { Notification, NotificationSink } from '../../core/notification.js';
import type { TaskRecord } from '../github/ledger/index.js';

/** How a board names one of its tasks in a notification: `#12` or `OPS-12`, and where it lives. */
export interface NoticeSubject {
  task: string;
  /** The GitHub issue number (the body's `issue` field); absent on other boards. */
  issue?: number;
  /** The issue's web page; undefined: no link (a fake, a proxy). */
  url?: string;
}

/** A delivery's pull request: its web page when the board knows it (github/pulls gives it). */
export interface NoticePull {
  number: number;
  url?: string;
  created?: boolean;
}

export interface LedgerNoticesOptions {
  notify: NotificationSink;
  /** The notification's `repository` (GitHub: owner/name; Jira: the site). */
  repository: string;
  /** The task behind a ledger chain. */
  subject: (chain: number) => NoticeSubject;
  /** The web page of a pull request; undefined: no link. */
  pullUrl: (pr: NoticePull) => string | undefined;
  /**
   * The agent's error as a notification may show it (CODEX_MONITOR_PUBLISH_ERRORS: redacted,
   * capped), or undefined to show none. The board decides: the body reaches a chat.
   */
  shownError: (error: string | undefined) => string | undefined;
  /** Whose rate limit (`GitHub`, `Jira`), in the rate-limited summary. */
  service: string;
}

/**
 * A ledger board's notifications, raised where this process WROTE the ledger record (its
 * release, its poison record, its takeover claim) or opened the pull request: one daemon of the
 * fleet notifies, never the observers.
 *
 * `fenced` — an attempt's result is discarded — is told by whoever ended its epoch:
 * - a takeover: the taker, when its claim lands (`tookOver`); the fenced owner, if it ever
 *   wakes up, finds a claim above its own and stays silent;
 * - a self-fence (no heartbeat within the renew deadline): the owner itself, when its own
 *   `abandoned` release record lands; if a taker got there first, its claim ended the epoch
 *   and it told;
 * - a poison or reset by a human (steer, an admin), or a record the owner cannot read: nobody
 *   wrote it as a daemon, so the fenced owner tells when its release is refused.
 * A takeover that poisons (the retry limit reached) ended the epoch too: the taker sends
 * `poisoned` and `fenced` (the poison record names the owner it took over, `tookOverFrom`); the
 * fenced owner, if it wakes, finds that poison and stays silent (endedByTaker).
 */
export class LedgerNotices {
  constructor(private readonly o: LedgerNoticesOptions) {}

  poisoned(chain: number, ownerId: string, epoch: number, reason: string): void {
    this.send(chain, { event: 'poisoned', owner: ownerId, epoch, summary: 'out of retries' }, reason);
  }

  fenced(chain: number, ownerId: string, epoch: number, reason: string): void {
    this.send(chain, { event: 'fenced', owner: ownerId, epoch, summary: `result discarded: ${reason}` });
  }

  /** This process's claim took the chain over from `fencedOwner`, whose attempt at `epoch` is fenced. */
  tookOver(chain: number, fencedOwner: string, epoch: number, takerId: string, poisoned = false): void {
    const by = poisoned ? `poisoned by ${takerId} (retry limit reached)` : `taken over by ${takerId}`;
    this.send(chain, {
      event: 'fenced',
      owner: fencedOwner,
      epoch,
      summary: `${by}: owner ${fencedOwner} went silent; its result will be discarded`,
    });
  }

  /** This attempt opened the pull request (told then, not when the release lands later). */
  prOpened(chain: number, ownerId: string, epoch: number, pr: number, url?: string): void {
    const summary = `pull request #${pr}`;
    const link = this.o.pullUrl({ number: pr, ...(url ? { url } : {}) });
    this.send(chain, { event: 'pr-opened', owner: ownerId, epoch, summary }, undefined, link);
  }

  /** A completed release: `done`, linking the pull request when there is one. */
  completed(chain: number, ownerId: string, epoch: number, pr: NoticePull | null): void {
    this.send(
      chain,
      { event: 'done', owner: ownerId, epoch, ...(pr ? { summary: `PR #${pr.number}` } : {}) },
      undefined,
      pr ? this.o.pullUrl(pr) : undefined,
    );
  }

  /** Waiting on a rate limit until `resetAt` (epoch ms), when known. */
  rateLimited(ownerId: string, kind: string, resetAt: number | undefined): void {
    // The reset time as epoch: one notice per limit window, not one per refused request.
    this.o.notify.notify({
      event: 'rate-limited',
      owner: ownerId,
      repository: this.o.repository,
      summary: `waiting on ${this.o.service}'s ${kind} rate limit`,
      ...(resetAt !== undefined ? { epoch: Math.floor(resetAt / 60_000) } : {}),
    });
  }

  private send(
    chain: number,
    n: Pick<Notification, 'event' | 'owner' | 'epoch' | 'summary'>,
    error?: string,
    url?: string,
  ): void {
    const subject = this.o.subject(chain);
    const shown = this.o.shownError(error);
    const link = url ?? subject.url;
    this.o.notify.notify({
      ...n,
      task: subject.task,
      ...(subject.issue !== undefined ? { issue: subject.issue } : {}),
      repository: this.o.repository,
      ...(shown ? { error: shown } : {}),
      ...(link ? { url: link } : {}),
    });
  }
}

/**
 * Whether the record that ended `ownerId`'s epoch was written by a daemon that took the claim
 * over — a claim, or a poison at the retry limit naming the owner — and so told the fence: the
 * woken owner then stays silent. Anything else (a human's poison or reset, an unknown record):
 * the owner tells.
 */
export function endedByTaker(endedBy: TaskRecord | null | undefined, ownerId: string): boolean {
  if (endedBy?.kind === 'claim') return true;
  return endedBy?.kind === 'poison' && endedBy.tookOverFrom === ownerId;
}
