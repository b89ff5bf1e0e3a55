/**
 * A Jira issue's work delivered as a GitHub pull request (WORKSPACE=worktree with
 * GITHUB_REPOSITORY): the ledger core's delivery — fence on the Jira ledger, push, open or update
 * the branch's one pull request — titled `<KEY>: <summary>` (the key in the title and branch is
 * what Jira's GitHub integrations link by), its body naming and linking the issue and nothing else
 * of it. Without a repository for pull requests the branch is pushed only.
 */
import type { ActiveClaim } from '../../daemon/board.js';
import type { AttemptWorkspace, DeliveryResult } from '../../daemon/workspace.js';
import type { RefLedger } from '../github/ledger/index.js';
import { deliverWork, type LedgerNotices, type PullOpener, renderPullBody } from '../ledger/index.js';
import type { JiraClaim } from './jira-claim.js';

/** What a pull request a fenced attempt opened is taken back by (github/pulls' withdrawPull). */
export interface WithdrawnPull {
  number: number;
  branch: string;
  pushedSha: string | null;
}

/** How the Jira board delivers attempts' work (set by the CLI when WORKSPACE=worktree). */
export interface JiraDelivery {
  /** The code repository's pull requests; null: the branch is pushed only. */
  pulls: PullOpener | null;
  /** PR_DRAFT and PR_LABELS. */
  pullRequests: { draft: boolean; labels: readonly string[] };
  /** Takes back the pull request (and its branch) an attempt fenced after its push opened. */
  withdraw?: (pr: WithdrawnPull) => Promise<unknown>;
}

/** GitHub's limit on a pull request title, in characters. */
const TITLE_LIMIT = 256;

/** `<KEY>: <summary>` on one line (control characters and runs of white space are one space). */
export function pullTitle(key: string, summary: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
  const line = `${key}: ${summary}`.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return [...line].slice(0, TITLE_LIMIT).join('');
}

export function deliverJiraIssue(
  ctx: { ledger: RefLedger; delivery: JiraDelivery; notices?: Pick<LedgerNotices, 'prOpened'> },
  claim: JiraClaim,
  workspace: AttemptWorkspace,
  summary: string | null,
  signal: AbortSignal,
): Promise<DeliveryResult> {
  const { issue } = claim;
  return deliverWork(
    { ledger: ctx.ledger, ...ctx.delivery },
    claim as ActiveClaim,
    workspace,
    () => ({
      title: pullTitle(issue.key, issue.title),
      body: renderPullBody({
        issue: { key: issue.key, url: issue.url },
        summary,
        attempt: claim.ticket.attempt,
        epoch: claim.ticket.epoch,
        owner: claim.ticket.ownerId,
      }),
    }),
    signal,
    (pr, fenced) => ctx.notices?.prOpened(fenced.issue, fenced.ownerId, fenced.epoch, pr.number, pr.url),
  );
}
