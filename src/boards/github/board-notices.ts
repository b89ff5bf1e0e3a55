import type { NotificationSink } from '../../core/notification.js';
import { LedgerNotices } from '../ledger/index.js';
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
 * The GitHub board's notifications: the ledger core's (who tells what, once across the fleet:
 * ledger/ledger-notices.ts), the task named `#<issue>`, linked on the repository's web site, the
 * agent's error shown only as the state comment would publish it.
 */
export class BoardNotices extends LedgerNotices {
  constructor(o: BoardNoticesOptions) {
    const repository = `${o.owner}/${o.repo}`;
    const repoUrl = o.webUrl ? `${o.webUrl}/${repository}` : undefined;
    super({
      notify: o.notify,
      repository,
      service: 'GitHub',
      subject: (issue) => ({
        task: `#${issue}`,
        issue,
        ...(repoUrl ? { url: `${repoUrl}/issues/${issue}` } : {}),
      }),
      pullUrl: (pr) => (repoUrl ? `${repoUrl}/pull/${pr.number}` : undefined),
      shownError: (error) => publishedError(error, o.publish) ?? undefined,
    });
  }
}

/** The web address of a GitHub API base: api.github.com → github.com, GHES's /api/v3 → its host. */
export function webUrlOf(apiUrl: string): string | undefined {
  if (/^https:\/\/api\.github\.com\/?$/.test(apiUrl)) return 'https://github.com';
  const ghes = /^(https?:\/\/[^/]+)\/api\/v3\/?$/.exec(apiUrl);
  return ghes?.[1];
}
