/**
 * The Jira board's notifications: the ledger core's (LedgerNotices: who tells what, once across
 * the fleet), the task named by its key (`OPS-12`) and linked to its Jira page, the pull request
 * linked as github/pulls gave it. The agent's error only as GitHub's state comment would publish
 * it (CODEX_MONITOR_PUBLISH_ERRORS: redacted and capped, core/publish-error.ts).
 */
import type { Logger } from '../../core/logger.js';
import type { NotificationSink } from '../../core/notification.js';
import { type PublishOptions, publishedError } from '../../core/publish-error.js';
import type { RefLedger } from '../github/ledger/index.js';
import { type LedgerClaimContext, LedgerNotices } from '../ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';

export interface JiraNoticesOptions {
  notify: NotificationSink;
  /** JIRA_BASE_URL: its host names the site in every notification, its /browse/KEY links the issue. */
  site: string;
  /** The synced issue of a ledger chain (its numeric id). */
  issueOf: (chain: number) => JiraSnapshot | undefined;
  /** CODEX_MONITOR_PUBLISH_ERRORS and the home directory; default: no error is shown. */
  publish?: PublishOptions;
}

export function jiraNotices(o: JiraNoticesOptions): LedgerNotices {
  return new LedgerNotices({
    notify: o.notify,
    repository: siteName(o.site),
    service: 'Jira',
    subject: (chain) => {
      const issue = o.issueOf(chain);
      // A chain not synced (yet): named by its id, no link guessed.
      return issue ? { task: issue.key, url: issue.url } : { task: `Jira issue ${chain}` };
    },
    pullUrl: (pr) => pr.url,
    shownError: (error) => publishedError(error, o.publish ?? {}) ?? undefined,
  });
}

/** The site's host (acme.atlassian.net): the base URL may carry a path, never credentials here. */
function siteName(site: string): string {
  try {
    return new URL(site).host || site;
  } catch {
    return site;
  }
}

/**
 * The ledger refused a claim of this process as poisoned. A takeover at the retry limit writes the
 * poison record in place of its claim, so the taker is the one who tells `poisoned` (as GitHub's
 * steering does): the record is confirmed (written if still missing) and told, in the background.
 */
export class ClaimPoisonNotices {
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly o: {
      ledger: Pick<RefLedger, 'poison'>;
      notices: Pick<LedgerNotices, 'poisoned'>;
      logger: Logger;
    },
  ) {}

  poisoned(chain: number, ownerId: string, detail: string): void {
    const write = this.tell(chain, ownerId, detail)
      .catch((error) => this.o.logger.warn({ err: error, chain }, 'could not confirm the poison record'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Waits for the writes under way (before the board closes). */
  async settle(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private async tell(chain: number, ownerId: string, detail: string): Promise<void> {
    const result = await this.o.ledger.poison(chain, ownerId, detail);
    if (result.ok && result.sha !== null) this.o.notices.poisoned(chain, ownerId, result.epoch, detail);
  }
}

/** The claim's notifying hooks (a takeover tells the fence, a claim refused as poisoned tells it). */
export function claimNoticeHooks(o: {
  ledger: Pick<RefLedger, 'poison'>;
  notices: Pick<LedgerNotices, 'poisoned' | 'tookOver'>;
  logger: Logger;
}): { hooks: Pick<LedgerClaimContext, 'onTookOver' | 'onPoisoned'>; settle: () => Promise<void> } {
  const poison = new ClaimPoisonNotices(o);
  return {
    hooks: {
      onTookOver: (chain, from, epoch, ownerId, poisoned) =>
        o.notices.tookOver(chain, from, epoch, ownerId, poisoned),
      onPoisoned: (chain, ownerId, detail) => poison.poisoned(chain, ownerId, detail),
    },
    settle: () => poison.settle(),
  };
}
