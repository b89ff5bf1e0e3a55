/**
 * The Jira board's notifications: the ledger core's (LedgerNotices: who tells what, once across
 * the fleet), the task named by its key (`OPS-12`) and linked to its Jira page, the pull request
 * linked as github/pulls gave it. The agent's error is never shown: Jira has no publication rules
 * of its own yet (GitHub's live in its mirror), and a chat is no place for an unredacted error.
 */
import type { NotificationSink } from '../../core/notification.js';
import { LedgerNotices } from '../ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';

export interface JiraNoticesOptions {
  notify: NotificationSink;
  /** JIRA_BASE_URL: its host names the site in every notification, its /browse/KEY links the issue. */
  site: string;
  /** The synced issue of a ledger chain (its numeric id). */
  issueOf: (chain: number) => JiraSnapshot | undefined;
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
    shownError: () => undefined,
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
